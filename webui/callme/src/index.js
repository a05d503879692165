// The Call Me widget's entry point, bundled into one script that defines
// window.Callme:
//
//   <script src="https://gateway.example/callme/callme.js"></script>
//   const widget = Callme.init({server: 'wss://gateway.example:7443', button: 'sales',
//                               getToken: async (context) => (await fetch(...)).token});
//   widget.destroy();
//
// Options are described in webui/callme/README.md and docs/callme.md.

import {Widget} from './controller.js';
import {checkOptions, scriptOrigin} from './settings.js';

// Captured while this script runs: later, document.currentScript is null.
const ORIGIN = scriptOrigin();

export const version = '0.1.0';

// Starts one widget; returns its handle. Throws a TypeError for a wrong
// option, so the mistake shows in the console at once.
export function init(options) {
  const widget = new Widget(checkOptions(options), ORIGIN);
  return {
    // The current state: idle, connecting, ringing, in-call, ended, closed.
    get state() {
      return widget.state;
    },
    // Resolves once the widget is on the page.
    ready: widget.ready,
    call: () => widget.call(),
    hangup: () => widget.hangup(),
    destroy: () => widget.destroy(),
  };
}

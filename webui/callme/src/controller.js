// One widget: ties the state machine, the view, the call and the other tabs
// together. Nothing here touches the DOM (view.js) or JsSIP (session.js)
// directly.

import {mediaErrorReason} from './reasons.js';
import {CallSession} from './session.js';
import {fetchButtonLook, resolve} from './settings.js';
import {StateMachine} from './state.js';
import {TabCoordinator} from './tabs.js';
import {View} from './view.js';

const TIMER_TICK_MS = 250;
const DIGIT_NOTE_MS = 1500;
// While idle or closed, the button's opening state is asked again this often.
const REFRESH_MS = 60000;
const FALLBACK_CAMERA = ['NotFoundError', 'NotReadableError', 'OverconstrainedError'];

async function getMedia(video) {
  const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : null;
  if (!md || !md.getUserMedia) {
    // No WebRTC, or a page not served over HTTPS.
    throw Object.assign(new Error('getUserMedia unavailable'), {name: 'NotFoundError'});
  }
  try {
    return await md.getUserMedia({audio: true, video: !!video});
  } catch (e) {
    // No usable camera: the call goes on with sound only.
    if (video && FALLBACK_CAMERA.includes(e && e.name)) return md.getUserMedia({audio: true});
    throw e;
  }
}

function stopTracks(stream) {
  if (stream) for (const t of stream.getTracks()) t.stop();
}

async function fetchToken(options, context) {
  if (typeof options.getToken === 'function') {
    const t = await options.getToken(Object.assign({}, context));
    return typeof t === 'string' ? t : t && typeof t.token === 'string' ? t.token : '';
  }
  return typeof options.token === 'string' ? options.token : '';
}

export class Widget {
  constructor(options, origin) {
    this.options = options;
    this.origin = origin;
    this.machine = new StateMachine('idle');
    this.view = null;
    this.settings = null;
    this.session = null;
    this.stream = null;
    this.attempt = 0;
    this.answeredAt = 0;
    this.timer = null;
    this.digitNote = null;
    this.refresh = null;
    this.destroyed = false;
    this.muted = false;
    this.cameraOff = false;
    this.tabs = null;
    this.onPageHide = () => this.hangup();
    this.ready = this.start();
  }

  // The look comes first (one GET, bounded): the widget then appears once,
  // in the right colour and language, instead of changing under the eye.
  async start() {
    const remote = await fetchButtonLook(this.origin, this.options.button);
    if (!this.options.target && !document.body) {
      // Loaded from <head>: the page's body is not there yet.
      await new Promise((done) => {
        document.addEventListener('DOMContentLoaded', done, {once: true});
      });
    }
    if (this.destroyed) return;
    this.settings = resolve(this.options, remote);
    this.view = new View(this.settings, {
      call: () => this.call(),
      hangup: () => this.hangup(),
      close: () => this.close(),
      escape: () => this.escape(),
      mute: () => this.toggleMute(),
      camera: () => this.toggleCamera(),
      keypad: () => this.view.setKeypadOpen(!this.view.keypadOpen),
      digit: (d) => this.digit(d),
    }, this.options.target);
    this.machine.onChange((state, data) => this.view.render(state, this.viewData(state, data)));
    this.tabs = new TabCoordinator(() => this.onOtherTab());
    if (!this.settings.open) this.machine.go('closed');
    this.refresh = setInterval(() => this.refreshOpen(), REFRESH_MS);
    window.addEventListener('pagehide', this.onPageHide);
  }

  viewData(state, data) {
    return Object.assign({}, data, {otherTab: state === 'idle' && !!this.tabs &&
                                              this.tabs.otherBusy});
  }

  get state() {
    return this.machine.state;
  }

  onOtherTab() {
    if (this.machine.state === 'idle') this.view.render('idle', this.viewData('idle', {}));
  }

  async refreshOpen() {
    const s = this.machine.state;
    if (s !== 'idle' && s !== 'closed') return;
    const remote = await fetchButtonLook(this.origin, this.options.button);
    if (!remote || this.destroyed) return;
    this.settings.open = remote.open !== false;
    if (typeof remote.closed_message === 'string') {
      this.settings.closedMessage = remote.closed_message.trim().slice(0, 256);
    }
    if (this.machine.state === 'closed' && this.settings.open) this.machine.go('idle');
    else if (this.machine.state === 'idle' && !this.settings.open) this.machine.go('closed');
  }

  async call() {
    if (!this.view || this.machine.busy || (this.tabs && this.tabs.otherBusy)) return;
    if (!this.settings.open) return;
    const attempt = ++this.attempt;
    if (!this.machine.go('connecting')) return;
    this.tabs.setInCall(true);
    this.view.focus('hangup');
    const current = () => attempt === this.attempt && !this.destroyed;
    let stream;
    try {
      stream = await getMedia(this.settings.video);
    } catch (e) {
      if (current()) this.end({reason: mediaErrorReason(e), detail: ''});
      return;
    }
    if (!current()) {
      stopTracks(stream);
      return;
    }
    this.stream = stream;
    this.view.localStream(stream);
    let token;
    try {
      // A fresh token for each call: tokens are short-lived.
      token = await fetchToken(this.options, this.settings.context);
    } catch (e) {
      if (current()) this.end({reason: 'failed', detail: ''});
      return;
    }
    if (!current()) return;
    this.session = new CallSession({
      server: this.settings.server,
      button: this.settings.button,
      token,
      page: {url: location.href, title: document.title},
      video: this.settings.video,
      iceServers: this.settings.iceServers,
    }, {
      progress: () => {
        if (current()) this.machine.go('ringing');
      },
      confirmed: ({video}) => {
        if (current()) this.answered(video);
      },
      remoteStream: (s) => {
        if (current()) this.view.remoteStream(s);
      },
      ended: (result) => {
        if (current()) this.end(result);
      },
    });
    this.session.start(stream);
  }

  answered(video) {
    this.answeredAt = Date.now();
    this.muted = false;
    this.cameraOff = false;
    this.machine.go('in-call');
    this.view.setCamera(video, false);
    this.view.setTimer(0);
    this.timer = setInterval(() => this.tick(), TIMER_TICK_MS);
    this.view.focus('hangup');
  }

  tick() {
    this.view.setTimer((Date.now() - this.answeredAt) / 1000);
  }

  end(result) {
    clearInterval(this.timer);
    clearTimeout(this.digitNote);
    this.timer = null;
    this.session = null;
    stopTracks(this.stream);
    this.stream = null;
    this.view.clearMedia();
    this.tabs.setInCall(false);
    // Focus inside the shadow root shows as the host being the active element.
    const hadFocus = document.activeElement === this.view.host;
    this.machine.go('ended', result);
    if (hadFocus) this.view.focus('again');
  }

  hangup() {
    if (!this.machine.busy) return;
    if (this.session) {
      this.session.hangup();
    } else {
      // Still asking for the microphone or the token: nothing on the wire yet.
      ++this.attempt;
      this.end({reason: 'completed', detail: ''});
    }
  }

  close() {
    if (this.machine.state !== 'ended') return;
    this.machine.go(this.settings.open ? 'idle' : 'closed');
    this.view.focus('launch');
  }

  escape() {
    if (this.machine.busy) this.hangup();
    else this.close();
  }

  toggleMute() {
    if (!this.session || this.machine.state !== 'in-call') return;
    this.muted = !this.muted;
    this.session.mute(this.muted);
    this.view.setMuted(this.muted);
  }

  toggleCamera() {
    if (!this.session || this.machine.state !== 'in-call') return;
    this.cameraOff = !this.cameraOff;
    this.session.camera(this.cameraOff);
    this.view.setCamera(true, this.cameraOff);
  }

  digit(d) {
    if (!this.session || this.machine.state !== 'in-call') return;
    if (!this.session.sendDigit(d)) return;
    this.view.announceDigit(d);
    clearTimeout(this.digitNote);
    this.digitNote = setTimeout(() => {
      if (this.machine.state === 'in-call') this.view.setStatus(this.settings.strings.inCall);
    }, DIGIT_NOTE_MS);
  }

  destroy() {
    if (this.destroyed) return;
    this.hangup();
    this.destroyed = true;
    clearInterval(this.refresh);
    clearInterval(this.timer);
    clearTimeout(this.digitNote);
    stopTracks(this.stream);
    window.removeEventListener('pagehide', this.onPageHide);
    if (this.tabs) this.tabs.close();
    if (this.view) this.view.destroy();
  }
}

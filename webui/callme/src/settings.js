// What one widget runs with: the shop's Callme.init options on top of the
// button's look as the gateway serves it (GET <script origin>/callme/v1/
// buttons/<button>), on top of built-in defaults.

import {baseLanguage, makeStrings} from './strings.js';

export const POSITIONS = ['bottom-right', 'bottom-left', 'inline'];
export const ICONS = ['phone', 'headset', 'video'];
const DEFAULT_COLOUR = '#1f5fbf';
const BUTTON_NAME = /^[a-z0-9-]{1,64}$/;
const FETCH_TIMEOUT_MS = 5000;

// "#abc" or "#aabbcc" (a colour goes into CSS: nothing else is let through).
export function isColour(value) {
  return typeof value === 'string' && /^#(?:[0-9a-fA-F]{3}){1,2}$/.test(value);
}

function expand(hex) {
  const h = hex.slice(1);
  return h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
}

// Relative luminance (WCAG 2.x) of a #rrggbb colour, 0 (black) .. 1 (white).
export function luminance(hex) {
  const h = expand(hex);
  const channel = (i) => {
    const v = parseInt(h.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

// Black or white text, whichever contrasts more with `background`.
export function textColourFor(background) {
  const l = luminance(background);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#111111' : '#ffffff';
}

// The origin of the <script src> that loaded the widget: where callgate-mgmt
// serves the button's look. Read at load time, when document.currentScript
// still names this script.
export function scriptOrigin(doc = globalThis.document) {
  try {
    const s = doc && doc.currentScript;
    return s && s.src ? new URL(s.src, doc.baseURI).origin : '';
  } catch (e) {
    return '';
  }
}

// The button's public look, or null when it cannot be had (no origin, a
// network error, a non-2xx answer, or something that is not an object).
export async function fetchButtonLook(origin, button, fetchImpl = globalThis.fetch) {
  if (!origin || !fetchImpl || !BUTTON_NAME.test(String(button))) return null;
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS) : null;
  try {
    const r = await fetchImpl(origin + '/callme/v1/buttons/' + encodeURIComponent(button), {
      credentials: 'omit',
      headers: {Accept: 'application/json'},
      signal: controller ? controller.signal : undefined,
    });
    if (!r.ok) return null;
    const body = await r.json();
    return body && typeof body === 'object' && !Array.isArray(body) ? body : null;
  } catch (e) {
    return null;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function str(value, max) {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : '';
}

// Options (already checked by checkOptions) + the gateway's look -> settings.
export function resolve(options, remote) {
  const r = remote || {};
  const look = options.look || {};
  const language = baseLanguage(options.language || r.language || 'en');
  const strings = makeStrings(language, options.strings);
  const colour = isColour(look.colour) ? look.colour : isColour(r.colour) ? r.colour :
                                                                             DEFAULT_COLOUR;
  const icon = typeof look.icon === 'string' && look.icon ? look.icon : 'phone';
  return {
    server: options.server,
    button: options.button,
    language,
    strings,
    label: str(look.label, 64) || str(r.label, 64) || strings.label,
    colour,
    textColour: isColour(look.textColour) ? look.textColour : textColourFor(colour),
    icon,
    position: POSITIONS.includes(options.position) ? options.position :
                                                     options.target ? 'inline' : 'bottom-right',
    video: typeof options.video === 'boolean' ? options.video : r.video === true,
    open: r.open !== false,
    closedMessage: str(r.closed_message, 256),
    context: options.context && typeof options.context === 'object' ? options.context : {},
    iceServers: Array.isArray(options.iceServers) ? options.iceServers : [],
  };
}

// Throws a TypeError naming the first wrong option: a shop's developer sees
// it in the console the moment the page loads.
export function checkOptions(options) {
  if (!options || typeof options !== 'object') throw new TypeError('Callme.init: options needed');
  const o = options;
  let url;
  try {
    url = new URL(String(o.server));
  } catch (e) {
    throw new TypeError('Callme.init: server must be a wss:// URL of callgated');
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
    throw new TypeError('Callme.init: server must be a wss:// URL of callgated');
  }
  if (!BUTTON_NAME.test(String(o.button))) {
    throw new TypeError('Callme.init: button must be a button name ([a-z0-9-]{1,64})');
  }
  if (o.token !== undefined && typeof o.token !== 'string') {
    throw new TypeError('Callme.init: token must be a string');
  }
  if (o.getToken !== undefined && typeof o.getToken !== 'function') {
    throw new TypeError('Callme.init: getToken must be a function');
  }
  if (o.position !== undefined && !POSITIONS.includes(o.position)) {
    throw new TypeError('Callme.init: position must be one of ' + POSITIONS.join(', '));
  }
  if (o.target !== undefined && !(o.target && o.target.nodeType === 1)) {
    throw new TypeError('Callme.init: target must be an element');
  }
  return o;
}

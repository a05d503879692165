// The widget's DOM, inside an open shadow root on its own host element. It
// shows a state (render) and reports what the visitor does (handlers); it
// holds no call logic.
//
//   div.cm-root[data-state][data-reason]
//     button.cm-launch          idle and closed: the coloured call button
//     div.cm-head               a call: icon, title, close (when ended)
//     p.cm-status               always there: role=status, aria-live=polite
//     div.cm-body               a call: timer, video, controls, keypad

import {iconElement} from './icons.js';
import {format, reasonText} from './strings.js';
import {applyStyles} from './styles.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children || []) node.appendChild(child);
  return node;
}

function button(className, text, extra) {
  return el('button', Object.assign({type: 'button', class: className, text}, extra || {}));
}

// 75 -> "01:15", 3725 -> "1:02:05".
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? h + ':' + two(m) + ':' + two(s % 60) : two(m) + ':' + two(s % 60);
}

export class View {
  // handlers: call, hangup, close, mute, keypad, digit, camera (no arguments
  // except digit(d)).
  constructor(settings, handlers, target) {
    this.settings = settings;
    this.strings = settings.strings;
    this.handlers = handlers;
    this.state = 'idle';
    this.hasVideo = false;
    this.host = el('div', {'class': 'callme-widget', 'data-callme-button': settings.button,
                           'data-position': settings.position});
    this.host.style.setProperty('--cm-colour', settings.colour);
    this.host.style.setProperty('--cm-text', settings.textColour);
    this.shadow = this.host.attachShadow({mode: 'open'});
    applyStyles(this.shadow);
    this.build();
    (target || document.body).appendChild(this.host);
  }

  build() {
    const s = this.strings;
    const statusId = 'cm-status';
    this.launch = button('cm-launch', '', {'aria-label': this.settings.label,
                                           'aria-describedby': statusId});
    this.launch.append(iconElement(this.settings.icon),
                       el('span', {class: 'cm-label', text: this.settings.label}));
    this.closeButton = button('cm-close', '\u00d7', {'aria-label': s.close});
    this.head = el('div', {class: 'cm-head'}, [
      iconElement(this.settings.icon), el('span', {class: 'cm-title', text: this.settings.label}),
      this.closeButton]);
    this.status = el('p', {'class': 'cm-status', 'id': statusId, 'role': 'status',
                           'aria-live': 'polite', 'aria-atomic': 'true'});
    this.timer = el('p', {'class': 'cm-timer', 'role': 'timer', 'aria-label': s.duration,
                          'text': clock(0)});
    this.remoteVideo = el('video', {class: 'cm-remote-video', autoplay: true, playsinline: true});
    this.localVideo = el('video', {class: 'cm-local-video', autoplay: true, playsinline: true});
    this.localVideo.muted = true;
    this.videos = el('div', {class: 'cm-videos'}, [this.remoteVideo, this.localVideo]);
    this.muteButton = button('cm-btn cm-mute', s.mute, {'aria-pressed': 'false'});
    this.keypadButton = button('cm-btn cm-keypad-toggle', s.keypad,
                               {'aria-expanded': 'false', 'aria-controls': 'cm-keypad'});
    this.cameraButton = button('cm-btn cm-camera', s.cameraOff, {'aria-pressed': 'false'});
    this.hangupButton = button('cm-btn cm-hangup', s.hangUp, {'aria-label': s.hangUp});
    this.againButton = button('cm-btn cm-again', s.callAgain);
    this.controls = el('div', {class: 'cm-controls'}, [
      this.muteButton, this.keypadButton, this.cameraButton, this.hangupButton,
      this.againButton]);
    this.keypad = el('div', {'class': 'cm-keypad', 'id': 'cm-keypad', 'role': 'group',
                             'aria-label': s.keypad});
    for (const k of KEYS) {
      const key = button('cm-btn cm-key', k, {'aria-label': format(s.digit, {digit: k}),
                                              'data-digit': k});
      key.addEventListener('click', () => this.handlers.digit(k));
      this.keypad.appendChild(key);
    }
    this.body = el('div', {class: 'cm-body'}, [this.timer, this.videos, this.controls,
                                               this.keypad]);
    this.audio = el('audio', {class: 'cm-audio', autoplay: true});
    this.root = el('div', {'class': 'cm-root', 'data-state': 'idle', 'data-reason': '',
                           'data-position': this.settings.position},
                   [this.launch, this.head, this.status, this.body, this.audio]);
    this.shadow.appendChild(this.root);

    this.launch.addEventListener('click', () => {
      if (this.launch.getAttribute('aria-disabled') !== 'true') this.handlers.call();
    });
    this.closeButton.addEventListener('click', () => this.handlers.close());
    this.hangupButton.addEventListener('click', () => this.handlers.hangup());
    this.againButton.addEventListener('click', () => this.handlers.call());
    this.muteButton.addEventListener('click', () => this.handlers.mute());
    this.cameraButton.addEventListener('click', () => this.handlers.camera());
    this.keypadButton.addEventListener('click', () => this.handlers.keypad());
    this.root.addEventListener('keydown', (e) => this.onKey(e));
    this.setKeypadOpen(false);
    this.render('idle', {});
  }

  onKey(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.handlers.escape();
    } else if (this.state === 'in-call' && !this.keypad.hidden && KEYS.includes(e.key) &&
               !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Typing a digit while the keypad is open sends it, like pressing its key.
      e.preventDefault();
      this.handlers.digit(e.key);
    }
  }

  // Shows `state`. data: {reason, detail} for 'ended'; {otherTab} for idle.
  render(state, data) {
    const s = this.strings;
    this.state = state;
    const inPanel = state !== 'idle' && state !== 'closed';
    const inCall = state === 'in-call';
    this.root.setAttribute('data-state', state);
    this.root.classList.toggle('cm-open', inPanel);
    this.root.setAttribute('data-reason', state === 'ended' ? data.reason || '' : '');
    this.launch.hidden = inPanel;
    this.head.hidden = !inPanel;
    this.body.hidden = !inPanel;
    this.closeButton.hidden = state !== 'ended';
    this.timer.hidden = !inCall;
    this.muteButton.hidden = !inCall;
    this.keypadButton.hidden = !inCall;
    this.hangupButton.hidden = !(state === 'connecting' || state === 'ringing' || inCall);
    this.againButton.hidden = state !== 'ended';
    if (!inCall) {
      this.setKeypadOpen(false);
      this.setCamera(false, false);
      this.setMuted(false);
    }
    this.videos.hidden = !(inCall && this.hasVideo);
    const cancel = state === 'connecting' || state === 'ringing';
    this.hangupButton.textContent = cancel ? s.cancel : s.hangUp;
    this.hangupButton.setAttribute('aria-label', cancel ? s.cancel : s.hangUp);
    let text = '';
    if (state === 'connecting') text = s.connecting;
    else if (state === 'ringing') text = s.ringing;
    else if (inCall) text = s.inCall;
    else if (state === 'ended') text = reasonText(s, data.reason || 'completed', data.detail);
    else if (state === 'closed') text = this.settings.closedMessage || s.closed;
    else if (data.otherTab) text = s.otherTab;
    this.setStatus(text);
    const disabled = state === 'closed' || (state === 'idle' && !!data.otherTab);
    if (disabled) this.launch.setAttribute('aria-disabled', 'true');
    else this.launch.removeAttribute('aria-disabled');
  }

  setStatus(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  setTimer(seconds) {
    const text = clock(seconds);
    if (this.timer.textContent !== text) this.timer.textContent = text;
  }

  setMuted(muted) {
    this.muteButton.setAttribute('aria-pressed', muted ? 'true' : 'false');
    this.muteButton.textContent = muted ? this.strings.unmute : this.strings.mute;
  }

  // available: the call carries video both ways; off: the camera is off.
  setCamera(available, off) {
    this.hasVideo = available;
    this.cameraButton.hidden = !(available && this.state === 'in-call');
    this.cameraButton.setAttribute('aria-pressed', off ? 'true' : 'false');
    this.cameraButton.textContent = off ? this.strings.cameraOn : this.strings.cameraOff;
    this.videos.hidden = !(available && this.state === 'in-call');
  }

  setKeypadOpen(open) {
    this.keypad.hidden = !open;
    this.keypadButton.setAttribute('aria-expanded', open ? 'true' : 'false');
    this.keypadButton.textContent = open ? this.strings.hideKeypad : this.strings.keypad;
  }

  get keypadOpen() {
    return !this.keypad.hidden;
  }

  // Tells screen readers (and shows) which key went, without losing the
  // in-call status for long.
  announceDigit(digit) {
    this.setStatus(format(this.strings.sent, {digit}));
  }

  focus(which) {
    const target = {launch: this.launch, hangup: this.hangupButton, again: this.againButton}[which];
    if (target && !target.hidden) target.focus();
  }

  remoteStream(stream) {
    if (this.audio.srcObject !== stream) this.audio.srcObject = stream;
    if (stream.getVideoTracks().length && this.remoteVideo.srcObject !== stream) {
      this.remoteVideo.srcObject = stream;
      this.remoteVideo.muted = true;  // the sound plays through the <audio> element
    }
    const played = this.audio.play && this.audio.play();
    if (played && played.catch) played.catch(() => {});
  }

  localStream(stream) {
    this.localVideo.srcObject = stream && stream.getVideoTracks().length ? stream : null;
  }

  clearMedia() {
    for (const media of [this.audio, this.remoteVideo, this.localVideo]) media.srcObject = null;
  }

  destroy() {
    this.clearMedia();
    this.host.remove();
  }
}

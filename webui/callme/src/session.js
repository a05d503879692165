// One call to a button, over JsSIP: a user agent that never registers (a
// shop's visitor has no account) opens a WebSocket to callgated (RFC 7118)
// and sends one INVITE to sip:callme-<button>@<gateway host> with the token
// and the page in extra headers (docs/callme.md, "The call"). Each call has
// its own user agent and socket, closed when the call is over, so a page
// holds no connection while idle.

import JsSIP from 'jssip';

import {answerHasVideo, callHeaders, callTarget} from './invite.js';
import {CAUSES, endReason, failureReason} from './reasons.js';

const CONNECT_TIMEOUT_MS = 10000;

export class CallSession {
  // options: server, button, token, page {url, title}, video, iceServers.
  // events: progress(status), confirmed({video}), remoteStream(stream),
  // ended({reason, detail}) exactly once.
  constructor(options, events) {
    this.options = options;
    this.events = events;
    this.ua = null;
    this.session = null;
    this.stream = null;
    this.done = false;
    this.confirmed = false;
    this.hungUp = false;
    this.dropped = false;
    this.connectTimer = null;
  }

  start(stream) {
    this.stream = stream;
    let socket;
    try {
      socket = new JsSIP.WebSocketInterface(this.options.server);
      this.ua = new JsSIP.UA({
        sockets: [socket],
        uri: 'sip:visitor@' + new URL(this.options.server).hostname,
        register: false,
        user_agent: 'Callgate Call Me',
        // One try per call: a socket that cannot connect fails the call
        // rather than being retried behind the visitor's back.
        connection_recovery_min_interval: 30,
        connection_recovery_max_interval: 60,
        no_answer_timeout: 120,
      });
    } catch (e) {
      this.finish({reason: 'failed', detail: ''});
      return;
    }
    this.ua.on('connected', () => {
      if (!this.session && !this.done) this.placeCall();
    });
    this.ua.on('disconnected', () => this.onDisconnected());
    this.connectTimer = setTimeout(() => {
      if (!this.session) this.finish({reason: 'network', detail: ''});
    }, CONNECT_TIMEOUT_MS);
    this.ua.start();
  }

  placeCall() {
    clearTimeout(this.connectTimer);
    const o = this.options;
    try {
      this.session = this.ua.call(callTarget(o.server, o.button), {
        mediaStream: this.stream,
        pcConfig: {iceServers: o.iceServers || []},
        rtcOfferConstraints: {offerToReceiveAudio: true, offerToReceiveVideo: !!o.video},
        extraHeaders: callHeaders(o.token, o.page || {}),
        eventHandlers: {
          peerconnection: (e) => {
            e.peerconnection.addEventListener('track', (ev) => this.onTrack(ev));
          },
          progress: (e) => {
            if (!this.done) this.events.progress(e.response ? e.response.status_code : 0);
          },
          confirmed: () => this.onConfirmed(),
          ended: (e) => this.finish(this.dropped ? {reason: 'network', detail: ''} :
                                                   endReason(e)),
          failed: (e) => this.onFailed(e),
        },
      });
    } catch (e) {
      this.finish({reason: 'failed', detail: ''});
    }
  }

  onTrack(ev) {
    if (this.done) return;
    const stream = ev.streams && ev.streams[0] ? ev.streams[0] : new MediaStream([ev.track]);
    this.events.remoteStream(stream);
  }

  onConfirmed() {
    if (this.done) return;
    this.confirmed = true;
    const pc = this.session.connection;
    const remote = pc && pc.remoteDescription ? pc.remoteDescription.sdp : '';
    const video = !!this.options.video && answerHasVideo(remote);
    if (!video && this.stream) {
      // The gateway answered audio only (video port 0): the camera goes off.
      for (const track of this.stream.getVideoTracks()) track.stop();
    }
    this.events.confirmed({video});
  }

  onFailed(e) {
    if (this.hungUp || e.cause === CAUSES.CANCELED) {
      this.finish({reason: 'completed', detail: ''});
      return;
    }
    const m = e.message && typeof e.message.status_code === 'number' ? e.message : null;
    this.finish(failureReason({
      cause: e.cause,
      status: m ? m.status_code : 0,
      reasonPhrase: m ? m.reason_phrase : '',
      reasonHeader: m && m.getHeader ? m.getHeader('Reason') : '',
    }));
  }

  // The socket closed. JsSIP fails the transactions in flight itself, but an
  // answered call with nothing in flight would stay "up" on a dead socket.
  onDisconnected() {
    if (this.done) return;
    if (!this.session) {
      this.finish({reason: 'network', detail: ''});
      return;
    }
    this.dropped = true;
    if (!this.session.isEnded()) {
      try {
        this.session.terminate();
      } catch (e) {
        // Already terminating.
      }
    }
    this.finish({reason: 'network', detail: ''});
  }

  finish(result) {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.connectTimer);
    const ua = this.ua;
    // Let a BYE or CANCEL leave before the socket closes.
    if (ua) setTimeout(() => ua.stop(), 0);
    this.events.ended(result);
  }

  hangup() {
    this.hungUp = true;
    if (this.session && !this.session.isEnded()) {
      try {
        this.session.terminate();
        return;
      } catch (e) {
        // Fall through: nothing left to end on the wire.
      }
    }
    this.finish({reason: 'completed', detail: ''});
  }

  mute(on) {
    if (!this.session || !this.confirmed) return;
    if (on) this.session.mute({audio: true});
    else this.session.unmute({audio: true});
  }

  camera(off) {
    if (!this.session || !this.confirmed) return;
    if (off) this.session.mute({video: true});
    else this.session.unmute({video: true});
  }

  // One DTMF digit (SIP INFO, JsSIP's default: the gateway turns it into
  // RFC 4733 toward the call centre). False when it could not be sent.
  sendDigit(digit) {
    if (!this.session || !this.confirmed || this.done) return false;
    try {
      this.session.sendDTMF(digit, {duration: 160, interToneGap: 100});
      return true;
    } catch (e) {
      return false;
    }
  }
}

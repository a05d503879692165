// A JsSIP user agent in Node standing in for the Call Me widget: it opens the
// WebSocket with the shop page's Origin, does not register (a shop's visitor
// has no account), and calls a button with extra headers (the token, the page).
//
//   node client.js --ws wss://127.0.0.1:7443 --origin https://shop.example \
//       --header 'X-Callme-Token: ...' --header 'X-Callme-Page-Url: ...' \
//       call sip:callme-sales@127.0.0.1
//   node client.js --ws ... --register call sip:sales@127.0.0.1   (a registered softphone)
//
// Prints one JSON object per line for each event (connected, registered,
// progress, confirmed, ended, failed) so a test can follow the call; `failed`
// carries the status, reason phrase and Reason header the widget would show.
// Adapted from tests/integration/jssip/client.js.
//
// Media is not part of these signalling tests: Node has no WebRTC, so a small
// stand-in RTCPeerConnection hands JsSIP a fixed browser-like SDP. The browser
// tests use real Chromium.
'use strict';

const path = require('path');
const WS = require(path.join(__dirname, '..', '..', 'node_modules', 'ws'));
const JsSIP = require(path.join(__dirname, '..', '..', 'node_modules', 'jssip'));

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : dflt;
};
const wsUrl = opt('ws');
const user = opt('user', 'web');
const domain = opt('domain', '127.0.0.1');
const holdMs = Number(opt('hold-ms', '1000'));
const origin = opt('origin', '');
const register = args.includes('--register');
const extraHeaders = [];
args.forEach((a, i) => { if (a === '--header') extraHeaders.push(args[i + 1]); });
const flags = ['--register'];
const positional = args.filter((a, i) => !a.startsWith('--') &&
  !(i > 0 && args[i - 1].startsWith('--') && !flags.includes(args[i - 1])));
const mode = positional[0];
const target = positional[1];

// Each event carries the wall-clock time in ms (t), for set-up timings.
function emit(event, extra) {
  process.stdout.write(JSON.stringify(Object.assign({ event, t: Date.now() }, extra || {})) + '\n');
}

// The test gateway uses a self-signed certificate.
// The Origin header is what a browser sends for the page that opened the socket.
class TestWebSocket extends WS {
  constructor(url, protocols) {
    super(url, protocols, Object.assign({ rejectUnauthorized: false }, origin ? { origin } : {}));
  }
}
global.WebSocket = TestWebSocket;

// Shaped like a browser's audio-only SDP (ICE, DTLS fingerprint, rtcp-mux)
// so the gateway treats this client as the WebRTC endpoint it stands for;
// no ICE check ever answers, which these signalling tests do not need.
const webRtcSdp = (setup) => [
  'v=0', 'o=- 4858 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
  'm=audio 40400 UDP/TLS/RTP/SAVPF 111 0 126', 'c=IN IP4 127.0.0.1',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 40400 typ host',
  'a=ice-ufrag:nodeuf', 'a=ice-pwd:nodepassword0123456789abc',
  'a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3C:8B:48:D2:6F:A9:10:7A:E4:9B:4D:01',
  'a=setup:' + setup, 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:126 telephone-event/8000',
  ''].join('\r\n');

class StandInPeerConnection {
  constructor() {
    this.iceGatheringState = 'complete';
    this.iceConnectionState = 'new';
    this.connectionState = 'new';
    this.signalingState = 'stable';
    this.localDescription = null;
    this.remoteDescription = null;
    this.listeners = {};
  }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  removeEventListener(type, fn) {
    this.listeners[type] = (this.listeners[type] || []).filter((f) => f !== fn);
  }
  createOffer() { return Promise.resolve({ type: 'offer', sdp: webRtcSdp('actpass') }); }
  createAnswer() { return Promise.resolve({ type: 'answer', sdp: webRtcSdp('active') }); }
  setLocalDescription(d) {
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
    return Promise.resolve();
  }
  setRemoteDescription(d) {
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
    return Promise.resolve();
  }
  addTrack() {}
  getSenders() { return []; }
  getReceivers() { return []; }
  getLocalStreams() { return []; }
  getRemoteStreams() { return []; }
  close() { this.signalingState = 'closed'; }
}
global.RTCPeerConnection = StandInPeerConnection;
global.RTCSessionDescription = class { constructor(o) { this.type = o.type; this.sdp = o.sdp; } };
global.window = { RTCPeerConnection: StandInPeerConnection };
const kNoTracks = { getTracks: () => [], getAudioTracks: () => [], getVideoTracks: () => [] };

const socket = new JsSIP.WebSocketInterface(wsUrl);
const ua = new JsSIP.UA({
  sockets: [socket],
  uri: `sip:${user}@${domain}`,
  register,
  register_expires: 300,
  session_timers: true,
  user_agent: 'JsSIP test client',
});

function finish(code) {
  ua.stop();
  setTimeout(() => process.exit(code), 300);
}

function follow(session) {
  session.on('sending', () => emit('sending'));
  session.on('progress', (e) => emit('progress', { status: e.response ? e.response.status_code : null }));
  session.on('confirmed', () => {
    emit('confirmed');
    if (mode === 'call') setTimeout(() => session.terminate(), holdMs);
  });
  session.on('ended', (e) => { emit('ended', { cause: e.cause, originator: e.originator }); finish(0); });
  session.on('failed', (e) => {
    const m = e.message && e.message.status_code ? e.message : null;
    emit('failed', {
      cause: e.cause,
      status: m && m.status_code,
      reason_phrase: m && m.reason_phrase,
      reason: m && m.getHeader('Reason'),
    });
    finish(0);
  });
}

function placeCall() {
  follow(ua.call(target, { mediaStream: kNoTracks, pcConfig: { iceServers: [] }, extraHeaders }));
}
ua.on('connected', () => {
  emit('connected');
  if (mode === 'call' && !register) placeCall();
});
ua.on('registered', () => {
  emit('registered');
  if (mode === 'call') placeCall();
});
ua.on('registrationFailed', (e) => { emit('registrationFailed', { cause: e.cause }); finish(1); });
ua.on('newRTCSession', (e) => {
  if (e.originator !== 'remote') return;
  emit('incoming', { from: e.request.from.uri.toString() });
  follow(e.session);
  e.session.answer({ mediaStream: kNoTracks, pcConfig: { iceServers: [] } });
});

setTimeout(() => { emit('timeout'); finish(2); }, Number(opt('timeout-ms', '30000')));
ua.start();

// The browser side of the test peer: a JsSIP user agent with real WebRTC
// media, driven by driver.js through window.rig. Every call into rig
// returns a promise; asynchronous happenings (registered, confirmed, ended,
// ...) are reported through window.rigEmit, a binding driver.js installs.
//
// Page parameters (query string):
//   mode=sip       JsSIP user agent (default)
//   mode=loopback  two RTCPeerConnections in this page: pc1 sends the fake
//                  microphone, pc2 receives; proves capture, codec and
//                  recording without any SIP server
//   sink=element   remote audio also plays in the <audio> element (default)
//   sink=muted     ... in a muted <audio> element
//   sink=none      remote audio only goes to WebAudio
//   debug=1        JsSIP's own debug log on the console
'use strict';

(function() {
const params = new URLSearchParams(location.search);
const mode = params.get('mode') || 'sip';
const sink = params.get('sink') || 'element';
if (params.get('debug') === '1') window.JsSIP.debug.enable('JsSIP:*');

// Echo cancellation, noise suppression and gain control would reshape a test
// tone (and suppress a steady one altogether), so capture stays raw.
const kAudioConstraints = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
};
const kRecordRate = 48000;
// 100 ms at 48 kHz: the recorder posts blocks of this size.
const kRecordBlock = 4800;

const state = {
  ua: null,
  session: null,
  pending: null,  // incoming session not answered yet
  autoAnswer: false,
  video: false,
  remoteStream: null,
  audioContext: null,
  pc1: null,
  pc2: null,
  localStream: null,
};

function emit(event, extra) {
  const message = Object.assign({event}, extra || {});
  if (window.rigEmit) window.rigEmit(message);
  else console.log('event without driver: ' + JSON.stringify(message));
}

function mediaConstraints(video) {
  return {audio: Object.assign({}, kAudioConstraints), video: !!video};
}

function pcConfig() {
  return {iceServers: []};
}

// Feeds the remote stream to the page's media elements per `sink`. The
// element is what makes Chromium pull remote WebRTC audio at all; WebAudio
// alone gets silence on some versions.
function attachRemote(stream) {
  const ids = (s) => s ? s.getTracks().map((t) => t.id).sort().join() : '';
  // Re-attaching the same tracks would restart the element for nothing.
  if (ids(stream) === ids(state.remoteStream)) return;
  state.remoteStream = stream;
  const audio = document.getElementById('remote');
  if (sink === 'none') {
    audio.srcObject = null;
  } else {
    audio.muted = sink === 'muted';
    audio.srcObject = stream;
    audio.play().catch((e) => console.log('audio element play: ' + e));
  }
  if (stream.getVideoTracks().length) {
    const video = document.getElementById('remote-video');
    video.srcObject = stream;
    video.play().catch((e) => console.log('video element play: ' + e));
  }
}

function remoteStreamOf(pc) {
  const tracks = pc.getReceivers().map((r) => r.track).filter((t) => t && t.readyState === 'live');
  return new MediaStream(tracks);
}

function watchPeerConnection(pc, label) {
  pc.addEventListener('track', (e) => {
    emit('track', {kind: e.track.kind, pc: label});
    attachRemote(remoteStreamOf(pc));
  });
  pc.addEventListener('iceconnectionstatechange', () => {
    emit('ice', {state: pc.iceConnectionState, pc: label});
  });
  pc.addEventListener('connectionstatechange', () => {
    emit('connection', {state: pc.connectionState, pc: label});
  });
}

function followSession(session) {
  // An outgoing session made its RTCPeerConnection inside ua.call(), before
  // any handler could be attached; an incoming one makes it on answer.
  if (session.connection) watchPeerConnection(session.connection, 'session');
  else session.on('peerconnection', (e) => watchPeerConnection(e.peerconnection, 'session'));
  session.on('progress', (e) => {
    emit('progress', {
      status: e.response ? e.response.status_code : null,
      originator: e.originator,
    });
  });
  session.on('accepted', (e) => emit('accepted', {originator: e.originator}));
  session.on('confirmed', (e) => {
    // An answered incoming session has its tracks before 'confirmed'; make
    // sure the remote stream is current either way.
    if (session.connection) attachRemote(remoteStreamOf(session.connection));
    emit('confirmed', {originator: e.originator});
  });
  session.on('ended', (e) => {
    emit('ended', {cause: e.cause, originator: e.originator});
    if (state.session === session) state.session = null;
  });
  session.on('failed', (e) => {
    emit('failed', {
      cause: e.cause,
      originator: e.originator,
      status: e.message && e.message.status_code ? e.message.status_code : null,
    });
    if (state.session === session) state.session = null;
    if (state.pending === session) state.pending = null;
  });
  session.on('hold', (e) => emit('hold', {originator: e.originator}));
  session.on('unhold', (e) => emit('unhold', {originator: e.originator}));
  session.on('newDTMF', (e) => {
    emit('dtmf', {originator: e.originator, tone: e.dtmf ? e.dtmf.tone : null});
  });
  session.on('reinvite', () => emit('reinvite'));
  session.on('peerconnection:setremotedescriptionfailed', (e) => {
    emit('error', {what: 'setRemoteDescription', message: String(e)});
  });
  session.on('sdp', (e) => emit('sdp', {originator: e.originator, type: e.type, sdp: e.sdp}));
  session.on('getusermediafailed', (e) => {
    emit('error', {what: 'getUserMedia', message: String(e)});
  });
  session.on('peerconnection:setremotedescriptionfailed', (e) => {
    emit('error', {what: 'setRemoteDescription', message: String(e)});
  });
}

function answerOptions() {
  return {mediaConstraints: mediaConstraints(state.video), pcConfig: pcConfig()};
}

function activeSession() {
  if (!state.session) throw new Error('no session');
  return state.session;
}

const rig = {
  mode,

  async register(o) {
    if (mode !== 'sip') throw new Error('register needs mode=sip');
    if (state.ua) throw new Error('already registered');
    state.autoAnswer = !!o.autoAnswer;
    state.video = !!o.video;
    const socket = new window.JsSIP.WebSocketInterface(o.wsUri);
    const config = {
      sockets: [socket],
      uri: o.sipUri,
      register: true,
      register_expires: o.registerExpires || 300,
      session_timers: o.sessionTimers !== false,
      user_agent: 'Callgate test browser',
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 4,
    };
    if (o.password) config.password = o.password;
    if (o.authorizationUser) config.authorization_user = o.authorizationUser;
    if (o.displayName) config.display_name = o.displayName;
    const ua = new window.JsSIP.UA(config);
    state.ua = ua;
    ua.on('connected', () => emit('connected'));
    ua.on('disconnected', (e) => emit('disconnected', {code: e && e.code ? e.code : null}));
    ua.on('registered', () => emit('registered'));
    ua.on('unregistered', () => emit('unregistered'));
    ua.on('registrationFailed', (e) => {
      emit('registrationFailed', {
        cause: e.cause,
        status: e.response ? e.response.status_code : null,
      });
    });
    ua.on('newRTCSession', (e) => {
      if (e.originator !== 'remote') return;
      const session = e.session;
      if (state.session || state.pending) {
        session.terminate({status_code: 486});
        return;
      }
      followSession(session);
      state.pending = session;
      emit('incoming', {
        from: e.request.from.uri.toString(),
        to: e.request.to.uri.toString(),
        video: /m=video/.test(e.request.body || ''),
      });
      if (state.autoAnswer) {
        rig.answer({}).catch((err) => emit('error', {what: 'answer', message: String(err)}));
      }
    });
    ua.on('newMessage', (e) => {
      if (e.originator === 'remote') emit('message', {body: e.request.body});
    });
    ua.start();
    return {ok: true};
  },

  async unregister() {
    if (!state.ua) throw new Error('no user agent');
    state.ua.unregister();
    return {ok: true};
  },

  async call(o) {
    if (!state.ua) throw new Error('register first');
    if (state.session || state.pending) throw new Error('a call is already up');
    const video = !!o.video;
    state.video = video;
    const session = state.ua.call(o.target, {
      mediaConstraints: mediaConstraints(video),
      pcConfig: pcConfig(),
      rtcOfferConstraints: {offerToReceiveAudio: true, offerToReceiveVideo: video},
      extraHeaders: o.extraHeaders || [],
    });
    state.session = session;
    followSession(session);
    return {ok: true};
  },

  async answer(o) {
    const session = state.pending;
    if (!session) throw new Error('no incoming call');
    state.pending = null;
    state.session = session;
    if (o && 'video' in o) state.video = !!o.video;
    session.answer(answerOptions());
    return {ok: true};
  },

  async hangup() {
    const session = state.session || state.pending;
    if (!session) throw new Error('no session');
    session.terminate();
    return {ok: true};
  },

  async hold() {
    return {ok: activeSession().hold()};
  },

  async unhold() {
    return {ok: activeSession().unhold()};
  },

  // A re-offer; with iceRestart, new ICE credentials (RFC 8445 §9).
  async renegotiate(o) {
    const done = activeSession().renegotiate(
        {rtcOfferConstraints: {iceRestart: !!o.iceRestart}});
    return {ok: done};
  },

  // RFC 4733 events in the RTP stream by default (what a gateway must pass
  // on); transport "info" sends SIP INFO instead.
  async dtmf(o) {
    const duration = o.duration || 160;
    const gap = o.gap || 100;
    const transport = (o.transport || 'rfc2833').toLowerCase() === 'info' ? 'INFO' : 'RFC2833';
    activeSession().sendDTMF(o.tones, {transportType: transport, duration, interToneGap: gap});
    // Resolve once the tones have had time to go out.
    await new Promise((r) => setTimeout(r, o.tones.length * (duration + gap) + 200));
    return {ok: true};
  },

  async stop() {
    if (state.ua) state.ua.stop();
    return {ok: true};
  },

  // pc1 sends the fake microphone to pc2 in the same page.
  async loopback() {
    if (mode !== 'loopback') throw new Error('loopback needs mode=loopback');
    const stream = await navigator.mediaDevices.getUserMedia(mediaConstraints(false));
    state.localStream = stream;
    const pc1 = new RTCPeerConnection(pcConfig());
    const pc2 = new RTCPeerConnection(pcConfig());
    state.pc1 = pc1;
    state.pc2 = pc2;
    watchPeerConnection(pc2, 'pc2');
    pc1.addEventListener('icecandidate', (e) => {
      if (e.candidate) pc2.addIceCandidate(e.candidate);
    });
    pc2.addEventListener('icecandidate', (e) => {
      if (e.candidate) pc1.addIceCandidate(e.candidate);
    });
    for (const track of stream.getTracks()) pc1.addTrack(track, stream);
    const offer = await pc1.createOffer();
    await pc1.setLocalDescription(offer);
    await pc2.setRemoteDescription(offer);
    const answer = await pc2.createAnswer();
    await pc2.setLocalDescription(answer);
    await pc1.setRemoteDescription(answer);
    emit('confirmed', {originator: 'loopback'});
    return {ok: true};
  },

  // Records `seconds` of the remote audio as 16-bit mono at 48 kHz and
  // returns it base64-encoded. Blocks where the remote track delivers
  // nothing are zeros, so a dead stream records as silence.
  async record(o) {
    const seconds = Number(o.seconds);
    if (!(seconds > 0 && seconds <= 120)) throw new Error('seconds must be in (0, 120]');
    const stream = state.remoteStream;
    if (!stream || !stream.getAudioTracks().length) throw new Error('no remote audio track');
    const ctx = await audioContext();
    const source = ctx.createMediaStreamSource(new MediaStream(stream.getAudioTracks()));
    const node = new AudioWorkletNode(ctx, 'rig-recorder', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    const silent = ctx.createGain();
    silent.gain.value = 0;
    const want = Math.round(seconds * ctx.sampleRate);
    const pcm = new Int16Array(want);
    let have = 0;
    const started = performance.now();
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error('recorder stalled at ' + have + ' of ' + want + ' samples'));
      }, seconds * 1000 + 10000);
      function done() {
        clearTimeout(timer);
        node.port.onmessage = null;
        source.disconnect();
        node.disconnect();
        silent.disconnect();
      }
      node.port.onmessage = (e) => {
        const block = e.data;
        for (let i = 0; i < block.length && have < want; ++i) {
          const v = Math.max(-1, Math.min(1, block[i]));
          pcm[have++] = Math.round(v * 32767);
        }
        if (have >= want) {
          done();
          resolve();
        }
      };
      source.connect(node);
      node.connect(silent);
      silent.connect(ctx.destination);
    });
    return {
      rate: ctx.sampleRate,
      samples: have,
      wallSeconds: (performance.now() - started) / 1000,
      pcm: base64(new Uint8Array(pcm.buffer)),
    };
  },

  async stats() {
    const pcs = mode === 'loopback' ? [state.pc1, state.pc2] :
                                      [state.session && state.session.connection];
    const out = {inbound: [], outbound: [], candidatePair: null};
    for (const pc of pcs) {
      if (!pc) continue;
      const reports = await pc.getStats();
      const codecs = new Map();
      reports.forEach((r) => {
        if (r.type === 'codec') codecs.set(r.id, r.mimeType + '/' + r.clockRate);
      });
      reports.forEach((r) => {
        if (r.type === 'inbound-rtp') {
          out.inbound.push({
            kind: r.kind,
            ssrc: r.ssrc,
            packetsReceived: r.packetsReceived || 0,
            bytesReceived: r.bytesReceived || 0,
            packetsLost: r.packetsLost || 0,
            jitter: r.jitter || 0,
            totalAudioEnergy: r.totalAudioEnergy || 0,
            codec: codecs.get(r.codecId) || null,
          });
        } else if (r.type === 'outbound-rtp') {
          out.outbound.push({
            kind: r.kind,
            ssrc: r.ssrc,
            packetsSent: r.packetsSent || 0,
            bytesSent: r.bytesSent || 0,
            codec: codecs.get(r.codecId) || null,
          });
        }
      });
      // The transport's selected pair: after an ICE restart pairs of the old
      // generation may still be listed as nominated and succeeded.
      reports.forEach((r) => {
        if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
        const pair = reports.get(r.selectedCandidatePairId);
        if (!pair) return;
        const local = reports.get(pair.localCandidateId);
        const remote = reports.get(pair.remoteCandidateId);
        const where = (c) => c ? c.address + ':' + c.port + ' ' + c.protocol : null;
        out.candidatePair = {
          local: where(local),
          remote: where(remote),
          localUfrag: local ? local.usernameFragment || null : null,
          remoteUfrag: remote ? remote.usernameFragment || null : null,
          state: pair.state,
          nominated: !!pair.nominated,
          iceState: r.iceState || null,
        };
      });
      out.iceConnectionState = pc.iceConnectionState;
    }
    const audioIn = out.inbound.filter((r) => r.kind === 'audio');
    const audioOut = out.outbound.filter((r) => r.kind === 'audio');
    out.audio = {
      packetsReceived: audioIn.reduce((a, r) => a + r.packetsReceived, 0),
      bytesReceived: audioIn.reduce((a, r) => a + r.bytesReceived, 0),
      packetsSent: audioOut.reduce((a, r) => a + r.packetsSent, 0),
      bytesSent: audioOut.reduce((a, r) => a + r.bytesSent, 0),
      codecIn: audioIn.length ? audioIn[0].codec : null,
      codecOut: audioOut.length ? audioOut[0].codec : null,
    };
    return out;
  },
};

// The recorder runs on the audio thread; it posts 100 ms blocks and zeros
// for quanta without input so the recording keeps wall-clock length.
const kRecorderSource = `
class RigRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(${kRecordBlock});
    this.used = 0;
  }
  process(inputs) {
    const input = inputs[0];
    const channel = input && input.length ? input[0] : null;
    const frames = channel ? channel.length : 128;
    for (let i = 0; i < frames; ++i) {
      this.block[this.used++] = channel ? channel[i] : 0;
      if (this.used === this.block.length) {
        this.port.postMessage(this.block);
        this.block = new Float32Array(${kRecordBlock});
        this.used = 0;
      }
    }
    return true;
  }
}
registerProcessor('rig-recorder', RigRecorder);
`;

async function audioContext() {
  if (!state.audioContext) {
    const ctx = new AudioContext({sampleRate: kRecordRate});
    const url = URL.createObjectURL(new Blob([kRecorderSource], {type: 'text/javascript'}));
    await ctx.audioWorklet.addModule(url);
    URL.revokeObjectURL(url);
    state.audioContext = ctx;
  }
  if (state.audioContext.state !== 'running') await state.audioContext.resume();
  return state.audioContext;
}

function base64(bytes) {
  let text = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + step));
  }
  return btoa(text);
}

window.rig = rig;
emit('page', {mode, sink, jssip: window.JsSIP ? window.JsSIP.version : null});
})();

// Several tabs of one shop: only one of them may be in a call (there is one
// microphone, and one visitor). Tabs of the same origin talk over
// BroadcastChannel('callme'):
//
//   {type: 'busy', tab}   this tab has a call (sent when it starts, repeated
//                         every HEARTBEAT_MS while it lasts, and in answer
//                         to 'query')
//   {type: 'free', tab}   this tab's call ended (or the tab is closing)
//   {type: 'query', tab}  a tab that just opened asks who is busy
//
// A tab that vanishes without 'free' (crashed, killed) stops repeating
// 'busy' and is forgotten after EXPIRE_MS.

export const CHANNEL = 'callme';
export const HEARTBEAT_MS = 4000;
export const EXPIRE_MS = 10000;

function randomId() {
  const c = globalThis.crypto;
  if (c && c.getRandomValues) {
    const bytes = new Uint8Array(8);
    c.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  return String(Math.random()).slice(2);
}

export class TabCoordinator {
  // onChange(otherBusy: boolean) is called whenever another tab starts or
  // stops a call. `Channel` and `now` are injectable for tests.
  constructor(onChange, {Channel = globalThis.BroadcastChannel, now = () => Date.now()} = {}) {
    this.tab = randomId();
    this.onChange = onChange;
    this.now = now;
    this.others = new Map();  // tab id -> last time it said it was busy
    this.inCall = false;
    this.heartbeat = null;
    this.expiry = null;
    this.channel = Channel ? new Channel(CHANNEL) : null;
    if (!this.channel) return;  // an old browser: each tab on its own
    this.channel.onmessage = (e) => this.receive(e.data);
    this.send('query');
  }

  get otherBusy() {
    return this.others.size > 0;
  }

  send(type) {
    if (!this.channel) return;
    try {
      this.channel.postMessage({type, tab: this.tab});
    } catch (e) {
      // A closed channel (the widget was destroyed): nothing to tell.
    }
  }

  receive(message) {
    if (!message || typeof message !== 'object' || message.tab === this.tab) return;
    const tab = String(message.tab || '');
    if (!tab) return;
    const before = this.otherBusy;
    if (message.type === 'busy') {
      this.others.set(tab, this.now());
    } else if (message.type === 'free') {
      this.others.delete(tab);
    } else if (message.type === 'query') {
      if (this.inCall) this.send('busy');
      return;
    } else {
      return;
    }
    this.armExpiry();
    if (before !== this.otherBusy) this.onChange(this.otherBusy);
  }

  // Forgets busy tabs that have not repeated themselves in time.
  expire() {
    const before = this.otherBusy;
    const limit = this.now() - EXPIRE_MS;
    for (const [tab, seen] of this.others) {
      if (seen < limit) this.others.delete(tab);
    }
    this.armExpiry();
    if (before !== this.otherBusy) this.onChange(this.otherBusy);
  }

  armExpiry() {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = this.otherBusy ? setTimeout(() => this.expire(), EXPIRE_MS / 2) : null;
  }

  // This tab's call started (true) or ended (false).
  setInCall(on) {
    if (on === this.inCall) return;
    this.inCall = on;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = on ? setInterval(() => this.send('busy'), HEARTBEAT_MS) : null;
    this.send(on ? 'busy' : 'free');
  }

  close() {
    this.setInCall(false);
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    if (this.channel) {
      this.channel.onmessage = null;
      this.channel.close();
      this.channel = null;
    }
  }
}

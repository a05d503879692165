// The widget's logic without a browser: reason mapping, strings, states,
// option handling, tab coordination and the call's headers.
//
//   node --test webui/callme/test/

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {endReason, failureReason, mediaErrorReason, reasonHeaderText, refusalReason} from
  '../src/reasons.js';
import {answerHasVideo, callHeaders, callTarget, headerValue} from '../src/invite.js';
import {checkOptions, fetchButtonLook, isColour, resolve, textColourFor} from '../src/settings.js';
import {canMove, StateMachine} from '../src/state.js';
import {baseLanguage, format, makeStrings, reasonText} from '../src/strings.js';
import {EXPIRE_MS, TabCoordinator} from '../src/tabs.js';

test('Reason header text is unquoted and unescaped (RFC 3326)', () => {
  assert.equal(reasonHeaderText('SIP;cause=403;text="Token expired"'), 'Token expired');
  assert.equal(reasonHeaderText('SIP ;cause=403 ; text = "say \\"hi\\" \\\\ bye"'),
               'say "hi" \\ bye');
  assert.equal(reasonHeaderText('SIP;cause=403'), '');
  assert.equal(reasonHeaderText(undefined), '');
});

test('every gateway refusal maps to its own reason', () => {
  const cases = {
    'Token expired': 'token-expired',
    'Token invalid': 'token-invalid',
    'Token required': 'token-required',
    'Origin not allowed': 'origin-not-allowed',
    'Unknown button': 'unknown-button',
    'Button disabled': 'button-disabled',
    'Call Me disabled': 'callme-disabled',
    'Too many calls': 'too-many-calls',
    'Closed': 'closed',
  };
  for (const [text, reason] of Object.entries(cases)) {
    const header = 'SIP;cause=403;text="' + text + '"';
    assert.deepEqual(failureReason({status: 403, reasonPhrase: text, reasonHeader: header}),
                     {reason, detail: ''}, text);
  }
  assert.deepEqual(refusalReason('Closed: Back on Monday 9:00'),
                   {reason: 'closed', detail: 'Back on Monday 9:00'});
  assert.equal(refusalReason('Register first'), null);
});

test('the Reason header wins over the reason phrase, which is the fallback', () => {
  assert.equal(failureReason({status: 403, reasonPhrase: 'Forbidden',
                              reasonHeader: 'SIP;cause=403;text="Unknown button"'}).reason,
               'unknown-button');
  assert.equal(failureReason({status: 403, reasonPhrase: 'Too many calls'}).reason,
               'too-many-calls');
  // A 403 the widget has no message for is a plain failure, not a guess.
  assert.equal(failureReason({status: 403, reasonPhrase: 'Forbidden',
                              reasonHeader: 'SIP;cause=403;text="Register first"'}).reason,
               'failed');
});

test('status codes and JsSIP causes map to the human reasons', () => {
  assert.equal(failureReason({status: 480, cause: 'Unavailable'}).reason, 'no-answer');
  assert.equal(failureReason({status: 408, cause: 'Unavailable'}).reason, 'no-answer');
  assert.equal(failureReason({cause: 'No Answer'}).reason, 'no-answer');
  assert.equal(failureReason({status: 486, cause: 'Busy'}).reason, 'busy');
  assert.equal(failureReason({status: 600, cause: 'Busy'}).reason, 'busy');
  assert.equal(failureReason({status: 503, reasonPhrase: 'Service Unavailable'}).reason,
               'unavailable');
  assert.equal(failureReason({status: 503, reasonPhrase: 'Call centre unavailable'}).reason,
               'unavailable');
  assert.equal(failureReason({cause: 'Connection Error'}).reason, 'network');
  assert.equal(failureReason({cause: 'Request Timeout'}).reason, 'network');
  assert.equal(failureReason({cause: 'User Denied Media Access'}).reason, 'denied-microphone');
  assert.equal(failureReason({cause: 'Incompatible SDP', status: 488}).reason, 'failed');
  assert.equal(endReason({cause: 'Terminated'}).reason, 'completed');
  assert.equal(endReason({cause: 'Connection Error'}).reason, 'network');
  assert.equal(endReason({cause: 'RTP Timeout'}).reason, 'network');
  assert.equal(mediaErrorReason({name: 'NotAllowedError'}), 'denied-microphone');
  assert.equal(mediaErrorReason({name: 'NotFoundError'}), 'no-microphone');
  assert.equal(mediaErrorReason(new Error('x')), 'failed');
});

test('strings: languages, overrides, messages', () => {
  assert.equal(baseLanguage('de-AT'), 'de');
  assert.equal(baseLanguage('fr'), 'fr');
  assert.equal(baseLanguage('xx'), 'en');
  const s = makeStrings('de', {ringing: 'Bitte warten', reasons: {busy: 'Besetzt', x: 3},
                               hangUp: 42});
  assert.equal(s.ringing, 'Bitte warten');
  assert.equal(s.reasons.busy, 'Besetzt');
  assert.equal(s.reasons.x, undefined);
  assert.equal(s.hangUp, 'Auflegen');  // a non-string override is ignored
  assert.equal(makeStrings('de').reasons.busy.startsWith('Alle Leitungen'), true);
  assert.equal(reasonText(s, 'closed', 'Back at 9'), 'Back at 9');
  assert.equal(reasonText(s, 'closed', ''), s.reasons.closed);
  assert.equal(reasonText(s, 'no-such-reason'), s.reasons.failed);
  assert.equal(format('Key {digit}', {digit: '#'}), 'Key #');
  // Every language has every key English has.
  for (const lang of ['de', 'fr']) {
    const en = makeStrings('en');
    const other = makeStrings(lang);
    assert.deepEqual(Object.keys(other).sort(), Object.keys(en).sort(), lang);
    assert.deepEqual(Object.keys(other.reasons).sort(), Object.keys(en.reasons).sort(), lang);
  }
});

test('state machine allows only the drawn moves', () => {
  const m = new StateMachine();
  const seen = [];
  m.onChange((to, data, from) => seen.push(from + '>' + to));
  assert.equal(m.go('in-call'), false);
  assert.equal(m.go('connecting'), true);
  assert.equal(m.busy, true);
  assert.equal(m.go('ringing'), true);
  assert.equal(m.go('connecting'), false);  // a late event cannot go back
  assert.equal(m.go('in-call'), true);
  assert.equal(m.go('ended', {reason: 'completed'}), true);
  assert.equal(m.data.reason, 'completed');
  assert.equal(m.busy, false);
  assert.equal(m.go('connecting'), true);  // call again
  assert.deepEqual(seen, ['idle>connecting', 'connecting>ringing', 'ringing>in-call',
                          'in-call>ended', 'ended>connecting']);
  assert.equal(canMove('closed', 'connecting'), false);
  assert.throws(() => new StateMachine('bogus'));
});

test('options: checked, and the gateway look loses to them', () => {
  assert.throws(() => checkOptions({server: 'https://x', button: 'a'}), /wss/);
  assert.throws(() => checkOptions({server: 'wss://x', button: 'A B'}), /button/);
  assert.throws(() => checkOptions({server: 'wss://x', button: 'a', getToken: 'x'}), /getToken/);
  assert.throws(() => checkOptions({server: 'wss://x', button: 'a', position: 'top'}),
                /position/);
  const options = checkOptions({server: 'wss://gw.example:7443', button: 'demo',
                                look: {label: 'Talk to us'}, language: 'fr'});
  const remote = {label: 'Call sales', colour: '#0a7d32', language: 'de', video: true,
                  open: false, closed_message: 'Back on Monday'};
  const s = resolve(options, remote);
  assert.equal(s.label, 'Talk to us');
  assert.equal(s.colour, '#0a7d32');
  assert.equal(s.textColour, '#ffffff');
  assert.equal(s.language, 'fr');
  assert.equal(s.video, true);
  assert.equal(s.open, false);
  assert.equal(s.closedMessage, 'Back on Monday');
  assert.equal(s.position, 'bottom-right');
  const plain = resolve(checkOptions({server: 'wss://gw', button: 'demo',
                                      look: {colour: 'red; background: url(x)'}}), null);
  assert.equal(plain.colour, '#1f5fbf');
  assert.equal(plain.label, 'Call us');
  assert.equal(plain.open, true);
  assert.equal(isColour('#abc'), true);
  assert.equal(isColour('#abcd'), false);
  assert.equal(textColourFor('#ffff00'), '#111111');
  assert.equal(textColourFor('#000080'), '#ffffff');
});

test('the button look is fetched from the script origin, failures give null', async () => {
  const asked = [];
  const ok = async (url) => {
    asked.push(url);
    return {ok: true, json: async () => ({colour: '#123456'})};
  };
  assert.deepEqual(await fetchButtonLook('https://gw.example:8443', 'demo', ok),
                   {colour: '#123456'});
  assert.deepEqual(asked, ['https://gw.example:8443/callme/v1/buttons/demo']);
  assert.equal(await fetchButtonLook('https://gw', 'demo', async () => ({ok: false})), null);
  assert.equal(await fetchButtonLook('https://gw', 'demo', async () => {
    throw new Error('down');
  }), null);
  assert.equal(await fetchButtonLook('https://gw', 'demo', async () => ({
    ok: true, json: async () => [1, 2]})), null);
  assert.equal(await fetchButtonLook('', 'demo', ok), null);
  assert.equal(await fetchButtonLook('https://gw', '../admin', ok), null);
});

test('call target and headers', () => {
  assert.equal(callTarget('wss://gw.example:7443/ws', 'demo'), 'sip:callme-demo@gw.example');
  assert.equal(callTarget('wss://[::1]:7443', 'demo'), 'sip:callme-demo@[::1]');
  assert.deepEqual(callHeaders('abc.DEF-_1', {url: 'https://shop/x?a=1', title: 'Order\r\nX: 1'}),
                   ['X-Callme-Token: abc.DEF-_1', 'X-Callme-Page-Url: https://shop/x?a=1',
                    'X-Callme-Page-Title: OrderX: 1']);
  // A token with anything but base64url and the dot is not sent at all.
  assert.deepEqual(callHeaders('abc\r\nX-Evil: 1', {url: '', title: ''}), []);
  assert.equal(headerValue('x'.repeat(5000)).length, 1024);
  assert.equal(answerHasVideo('v=0\r\nm=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n'),
               false);
  assert.equal(answerHasVideo('m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 UDP/TLS/RTP/SAVPF 96'),
               true);
});

class FakeChannel {
  static all = [];
  constructor(name) {
    this.name = name;
    this.onmessage = null;
    FakeChannel.all.push(this);
  }
  postMessage(data) {
    for (const c of FakeChannel.all) {
      if (c !== this && c.onmessage && c.name === this.name) c.onmessage({data});
    }
  }
  close() {
    FakeChannel.all = FakeChannel.all.filter((c) => c !== this);
  }
}

test('tabs: a call in one tab makes the others busy until it ends', () => {
  FakeChannel.all = [];
  let now = 1000;
  const changes = {a: [], b: []};
  const a = new TabCoordinator((busy) => changes.a.push(busy),
                               {Channel: FakeChannel, now: () => now});
  const b = new TabCoordinator((busy) => changes.b.push(busy),
                               {Channel: FakeChannel, now: () => now});
  a.setInCall(true);
  assert.equal(b.otherBusy, true);
  assert.equal(a.otherBusy, false);
  // A tab opened during the call learns of it by asking.
  const c = new TabCoordinator(() => {}, {Channel: FakeChannel, now: () => now});
  assert.equal(c.otherBusy, true);
  a.setInCall(false);
  assert.equal(b.otherBusy, false);
  assert.equal(c.otherBusy, false);
  assert.deepEqual(changes.b, [true, false]);
  assert.deepEqual(changes.a, []);
  // A tab that vanished without 'free' is forgotten once it stops repeating.
  b.setInCall(true);
  assert.equal(c.otherBusy, true);
  clearInterval(b.heartbeat);
  b.channel.close();
  now += EXPIRE_MS + 1;
  c.expire();
  assert.equal(c.otherBusy, false);
  for (const t of [a, b, c]) t.close();
});

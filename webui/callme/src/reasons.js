// Why a call did not happen or ended, as one of the reason ids the widget
// shows a message for (strings.js `reasons`, and the data-reason attribute).
//
// Sources, in order of trust: the gateway's final response (its Reason
// header text, RFC 3326, or its reason phrase: docs/callme.md lists the
// texts), its status code, then JsSIP's cause for failures that never got a
// response (no microphone, socket down, transaction timeout).

// JsSIP's cause strings (JsSIP.C.causes), repeated here so this module has
// no dependency and can be tested in Node.
export const CAUSES = {
  BYE: 'Terminated',
  CONNECTION_ERROR: 'Connection Error',
  REQUEST_TIMEOUT: 'Request Timeout',
  NO_ANSWER: 'No Answer',
  BUSY: 'Busy',
  USER_DENIED_MEDIA_ACCESS: 'User Denied Media Access',
  RTP_TIMEOUT: 'RTP Timeout',
  NO_ACK: 'No ACK',
  DIALOG_ERROR: 'Dialog Error',
  CANCELED: 'Canceled',
};

// The gateway's refusal texts (docs/callme.md, "Checks, in order").
const REFUSALS = {
  'token expired': 'token-expired',
  // A token admits one call; the widget fetches a fresh one for each call,
  // so this is a page reused in a way the shop did not plan: same advice.
  'token used': 'token-expired',
  'token invalid': 'token-invalid',
  'token required': 'token-required',
  'origin not allowed': 'origin-not-allowed',
  'unknown button': 'unknown-button',
  'button disabled': 'button-disabled',
  'call me disabled': 'callme-disabled',
  'too many calls': 'too-many-calls',
  'call centre unavailable': 'unavailable',
};

const MAX_DETAIL = 256;

// The text="..." of a Reason header value (RFC 3326 §2: reason-text is a
// quoted-string, so \" and \\ are escapes). '' when there is none.
export function reasonHeaderText(value) {
  if (typeof value !== 'string') return '';
  const m = /;\s*text\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(value);
  return m ? m[1].replace(/\\(.)/g, '$1') : '';
}

// A refusal text -> {reason, detail}; null when the text is not one of the
// gateway's. "Closed: Back on Monday" keeps "Back on Monday" as the detail.
export function refusalReason(text) {
  const t = String(text || '').trim();
  const closed = /^closed(?:\s*:\s*([\s\S]*))?$/i.exec(t);
  if (closed) return {reason: 'closed', detail: (closed[1] || '').trim().slice(0, MAX_DETAIL)};
  const id = REFUSALS[t.toLowerCase()];
  return id ? {reason: id, detail: ''} : null;
}

function fromStatus(status) {
  if (status === 408 || status === 480) return 'no-answer';
  if (status === 486 || status === 600) return 'busy';
  if (status === 503) return 'unavailable';
  return null;
}

function fromCause(cause) {
  switch (cause) {
    case CAUSES.USER_DENIED_MEDIA_ACCESS:
      return 'denied-microphone';
    case CAUSES.NO_ANSWER:
      return 'no-answer';
    case CAUSES.BUSY:
      return 'busy';
    case CAUSES.CONNECTION_ERROR:
    case CAUSES.REQUEST_TIMEOUT:
    case CAUSES.RTP_TIMEOUT:
    case CAUSES.NO_ACK:
    case CAUSES.DIALOG_ERROR:
      return 'network';
    default:
      return null;
  }
}

// A failed call (JsSIP 'failed': no 2xx). `status`, `reasonPhrase` and
// `reasonHeader` come from the final response when there was one.
export function failureReason({cause, status, reasonPhrase, reasonHeader} = {}) {
  if (status) {
    const refusal = refusalReason(reasonHeaderText(reasonHeader)) || refusalReason(reasonPhrase);
    if (refusal) return refusal;
    const byStatus = fromStatus(status);
    if (byStatus) return {reason: byStatus, detail: ''};
  }
  return {reason: fromCause(cause) || 'failed', detail: ''};
}

// An established call that ended (JsSIP 'ended'). A hang-up by either side is
// 'completed'; a dropped socket or dialog is 'network'.
export function endReason({cause} = {}) {
  const r = fromCause(cause);
  return {reason: r === 'network' ? 'network' : 'completed', detail: ''};
}

// getUserMedia's DOMException -> reason id.
export function mediaErrorReason(error) {
  const name = error && error.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' ||
      name === 'PermissionDeniedError') {
    return 'denied-microphone';
  }
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' ||
      name === 'NotReadableError' || name === 'OverconstrainedError') {
    return 'no-microphone';
  }
  return 'failed';
}

// What the INVITE to a button carries (docs/callme.md, "The call"): its
// Request-URI and the extra headers with the token and the page; and what
// the answer says about video.

const MAX_HEADER_VALUE = 1024;

// The Request-URI for a button: the gateway host is the server URL's host
// (an IPv6 literal keeps its brackets).
export function callTarget(server, button) {
  return 'sip:callme-' + button + '@' + new URL(server).hostname;
}

// A header value the browser sends: no control characters (a CR or LF would
// end the header), bounded. The gateway cleans and cuts again on its side.
export function headerValue(value) {
  // eslint-disable-next-line no-control-regex
  return String(value == null ? '' : value).replace(/[\u0000-\u001f\u007f]/g, '')
      .slice(0, MAX_HEADER_VALUE).trim();
}

export function callHeaders(token, page) {
  const headers = [];
  const t = String(token || '').trim();
  // Tokens are base64url "payload.mac": anything else is not sent.
  if (t && /^[A-Za-z0-9_\-.]{1,8192}$/.test(t)) headers.push('X-Callme-Token: ' + t);
  const url = headerValue(page.url);
  if (url) headers.push('X-Callme-Page-Url: ' + url);
  const title = headerValue(page.title);
  if (title) headers.push('X-Callme-Page-Title: ' + title);
  return headers;
}

// True when the answer accepted video: an m=video line with a port other
// than 0 (RFC 3264 §6: port 0 rejects the stream).
export function answerHasVideo(sdp) {
  return /^m=video +[1-9]\d* /m.test(String(sdp || ''));
}

// The Date header value (RFC 9110 IMF-fixdate), made once per second as node:http does.
let second = -1;
let text = '';

export function httpDate(nowMs = Date.now()): string {
  const s = Math.floor(nowMs / 1000);
  if (s !== second) {
    second = s;
    text = new Date(s * 1000).toUTCString();
  }
  return text;
}

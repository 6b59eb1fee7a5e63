// Whether a bind host is loopback-only: the one case where the public API may run without keys and the
// internal planes without a cluster secret without a warning.
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

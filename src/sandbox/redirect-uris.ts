/**
 * Redirect URI matching. RingCentral requires an exact match with a registered URI. The sandbox adds one
 * convenience for local tools: in a registered pattern, the port may be "*" and the path "/*", honoured only when
 * the host is a loopback name (127.0.0.1 or localhost), so no pattern can send a code off the machine.
 */

const loopbackHosts = new Set(['127.0.0.1', 'localhost']);

export const anyLoopbackRedirect: readonly string[] = ['http://127.0.0.1:*/*', 'http://localhost:*/*'];

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

export function redirectUriMatches(pattern: string, candidate: string): boolean {
  if (pattern === candidate) return true;
  const wild = /^(https?):\/\/([^/:]+):\*(\/.*)?$/.exec(pattern);
  if (!wild) return false;
  const [, scheme, host, path = '/'] = wild;
  if (host === undefined || !loopbackHosts.has(host)) return false;
  const url = parse(candidate);
  if (!url || url.protocol !== `${scheme}:` || url.hostname !== host || url.username || url.password || url.hash) return false;
  if (path === '/*') return true;
  return `${url.pathname}${url.search}` === path;
}

export function isRegisteredRedirect(patterns: readonly string[], candidate: string): boolean {
  return patterns.some((pattern) => redirectUriMatches(pattern, candidate));
}

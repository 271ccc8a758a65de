import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';

/**
 * Who may speak to /api/messages in emulator mode (no MicrosoftAppId, so no Bot Framework token is checked): only
 * this machine, answering to this machine. Both halves are needed. Behind a reverse proxy on the same host every
 * peer is loopback, so the peer alone proves nothing; the serviceUrl (where the bot posts its answers, acting on the
 * user's RingCentral login) must then name this machine too, by an IP literal or exactly `localhost` — a host name
 * that merely starts with "127." or "localhost" is anyone's DNS.
 */
export function emulatorRefusal(req: IncomingMessage, serviceUrl: string | undefined): string | undefined {
  if (!isLoopbackPeer(req.socket.remoteAddress)) return 'peer address is not loopback';
  // A proxy that says whom it relays for says the request did not start on this machine.
  if (RELAY_HEADERS.some((name) => req.headers[name] !== undefined)) return 'request was relayed by a proxy';
  if (!isLoopbackServiceUrl(serviceUrl)) return 'serviceUrl host is not loopback';
  return undefined;
}

const RELAY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'] as const;

/** A socket's peer: 127.0.0.0/8, ::1, or 127.0.0.0/8 mapped into IPv6 (a dual-stack listener). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isLoopbackIPv4(v4);
}

/**
 * A serviceUrl whose host is an IPv4 literal in 127.0.0.0/8, `[::1]`, or exactly `localhost`. WHATWG URL parsing
 * has already normalised the host (lower case; `127.1` and `0x7f.0.0.1` written out as 127.0.0.1), so what is
 * compared is what undici will connect to.
 */
export function isLoopbackServiceUrl(serviceUrl: string | undefined): boolean {
  if (serviceUrl === undefined) return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || isLoopbackIPv4(host);
}

function isLoopbackIPv4(host: string): boolean {
  return isIPv4(host) && host.split('.')[0] === '127';
}

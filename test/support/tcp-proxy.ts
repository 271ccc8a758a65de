import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay on loopback in front of a real server (Redis, PostgreSQL), so a test can take that server away — as a
 * crash, a network cut or a hung server would — and bring it back, without touching the server other tests share.
 */
export interface TcpProxy {
  /** Stays the same across stop() and start(). */
  port: number;
  /** Drops every connection and stops listening: connecting is refused, as to a server that is down. */
  stop(): Promise<void>;
  /** Listens (and relays) again on the same port. */
  start(): Promise<void>;
  /** Keeps connections open but relays nothing more either way: a server that hangs. */
  swallow(): void;
  close(): Promise<void>;
}

/** `listenHost`: another loopback address to listen on (127.0.0.2, ::1), for a server that binds 127.0.0.1 only. */
export async function startTcpProxy(target: { host: string; port: number }, listenHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let swallowing = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  };
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (!swallowing) to.write(chunk);
    });
    from.on('close', () => to.destroy());
  };
  const server = createServer((client) => {
    track(client);
    const upstream = createConnection(target);
    track(upstream);
    relay(client, upstream);
    relay(upstream, client);
  });
  const listen = async (port: number) => {
    server.listen(port, listenHost);
    await once(server, 'listening');
  };
  const stopListening = async () => {
    for (const socket of sockets) socket.destroy();
    if (!server.listening) return;
    const closed = once(server, 'close');
    server.close();
    await closed;
  };

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stop: stopListening,
    async start() {
      swallowing = false;
      if (!server.listening) await listen(port);
    },
    swallow() {
      swallowing = true;
    },
    close: stopListening,
  };
}

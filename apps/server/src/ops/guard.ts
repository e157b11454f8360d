import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Options of `guardConnections`. */
export interface ConnectionGuardOptions {
  /** Connections held at most; a new one beyond this evicts the oldest one. */
  readonly maxConnections: number;
  /**
   * A connection must have sent a whole request head within this long of connecting (or
   * of its previous response); else it is closed. Bytes dripped in do not extend it.
   */
  readonly headersTimeoutMs: number;
  /** From the request head to the end of its response: longer is closed (slow readers too). */
  readonly requestTimeoutMs: number;
  /** How often the deadlines are checked; a close comes at most this late. */
  readonly checkEveryMs: number;
  /** Called when a connection is closed by the guard. */
  readonly onClose?: (reason: 'evicted' | 'headers-timeout' | 'request-timeout') => void;
}

/** A running guard. */
export interface ConnectionGuard {
  /** Connections open now. */
  readonly open: number;
  /** Stops checking deadlines (the server's close ends the connections). */
  stop(): void;
}

interface Tracked {
  /** performance.now() since which it waits for a request head, or since its request came. */
  since: number;
  /** A request came and its response has not finished. */
  answering: boolean;
}

/**
 * Keeps an HTTP server answerable whatever its clients do. Node's own `headersTimeout` is
 * only checked every `connectionsCheckingInterval` (30 s by default), never applies to a
 * connection that sends nothing at all, and `maxConnections` refuses the newcomer, so 256
 * silent connections shut every probe out. Here every connection gets its deadlines
 * checked every `checkEveryMs`, and when the server is full a new connection evicts the
 * oldest one not being answered (a probe is answered within the turn its request arrives,
 * so it is never the one evicted), so a health probe always gets in.
 */
export function guardConnections(server: Server, options: ConnectionGuardOptions): ConnectionGuard {
  const tracked = new Map<Socket, Tracked>();
  const close = (
    socket: Socket,
    reason: 'evicted' | 'headers-timeout' | 'request-timeout',
  ): void => {
    tracked.delete(socket);
    socket.destroy();
    options.onClose?.(reason);
  };

  server.on('connection', (socket: Socket) => {
    if (tracked.size >= options.maxConnections) {
      let victim: Socket | undefined;
      for (const [candidate, state] of tracked) {
        victim ??= candidate; // the oldest, if every one is being answered
        if (!state.answering) {
          victim = candidate;
          break;
        }
      }
      if (victim !== undefined) close(victim, 'evicted');
    }
    tracked.set(socket, { since: performance.now(), answering: false });
    socket.once('close', () => tracked.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = tracked.get(req.socket);
    if (state === undefined) return;
    state.answering = true;
    state.since = performance.now();
    res.once('close', () => {
      state.answering = false;
      state.since = performance.now();
    });
  });

  const check = setInterval(() => {
    const now = performance.now();
    for (const [socket, state] of tracked) {
      if (state.answering) {
        if (now - state.since > options.requestTimeoutMs) close(socket, 'request-timeout');
      } else if (now - state.since > options.headersTimeoutMs) {
        close(socket, 'headers-timeout');
      }
    }
  }, options.checkEveryMs);
  check.unref();

  return {
    get open() {
      return tracked.size;
    },
    stop() {
      clearInterval(check);
    },
  };
}

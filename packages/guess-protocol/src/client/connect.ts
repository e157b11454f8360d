import { connect } from 'node:net';
import { GuessClient } from './client.js';
import { GuessTimeoutError } from '../errors.js';

/** Options of {@link connectGuessClient}. */
export interface GuessClientOptions {
  /** Server host; default `127.0.0.1`. */
  readonly host?: string;
  /** Server port. */
  readonly port: number;
  /** Limit for connecting and for each reply, in ms; default 10,000. 0 disables. */
  readonly timeoutMs?: number;
  /** Aborting closes the connection; pending calls reject with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Connects to a guess server.
 *
 * @throws {GuessTimeoutError} when connecting takes longer than `timeoutMs`.
 * @example
 * ```ts
 * await using client = await connectGuessClient({ port: 1234 });
 * {
 *   await using game = client.session(1, 5, 3);
 *   for await (const n of game.requestNumbers(5)) console.log(n, game.reportOutcome(n));
 * }
 * ```
 */
export function connectGuessClient(options: GuessClientOptions): Promise<GuessClient> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signal = options.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port });
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      cleanup();
      socket.destroy();
      reject(signal?.reason);
    };
    const onError = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    function cleanup(): void {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
    }
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(
          new GuessTimeoutError(
            `connecting to ${options.host ?? '127.0.0.1'}:${options.port}`,
            timeoutMs,
          ),
        );
      }, timeoutMs);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      cleanup();
      const client = new GuessClient(socket, timeoutMs);
      if (signal !== undefined) {
        const abortClient = (): void => client.abort(signal.reason);
        signal.addEventListener('abort', abortClient, { once: true });
        socket.once('close', () => signal.removeEventListener('abort', abortClient));
      }
      resolve(client);
    });
  });
}

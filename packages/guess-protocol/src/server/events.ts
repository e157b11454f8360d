import type { Decision } from '../codec.js';
import type { WireErrorCode } from '../errors.js';

/** Why a connection closed. */
export type CloseReason =
  /** The client closed it. */
  | 'end'
  /** A socket error (reset, broken pipe). */
  | 'error'
  /** Silent for `idleTimeoutMs` (or never read its replies). */
  | 'idle-timeout'
  /** Sent a line longer than `maxLineBytes`. */
  | 'line-too-long'
  /** `maxConsecutiveErrors` errors in a row. */
  | 'too-many-errors'
  /** The server closed (drain finished or timed out). */
  | 'server-close';

/**
 * What the server reports through `onEvent`, synchronously, as it happens. Enough to
 * print the seed's transcript (`report.text`) and to build metrics: connections
 * (`connection-open`/`-close`/`-rejected`), sessions (`session-start`), games and guesses
 * per game (`game-completed`), errors by code (`error`) and round-trip latency
 * (`report.roundTripMs`).
 */
export type GuessServerEvent =
  | { readonly type: 'listening'; readonly host: string; readonly port: number }
  | {
      readonly type: 'connection-open';
      readonly connectionId: number;
      readonly remoteAddress: string;
      /** Live connections, this one included. */
      readonly connections: number;
    }
  | {
      readonly type: 'connection-close';
      readonly connectionId: number;
      readonly reason: CloseReason;
      /** Live connections after this one closed. */
      readonly connections: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'connection-rejected';
      readonly remoteAddress: string;
      /** `max-connections`: sent `ERROR server-busy`; `closing`: the server is shutting down. */
      readonly reason: 'max-connections' | 'closing';
    }
  | {
      /** A PARAMS opened a game (lower <= upper). */
      readonly type: 'session-start';
      readonly connectionId: number;
      readonly lower: number;
      readonly upper: number;
    }
  | {
      /** A NUMBER was answered. */
      readonly type: 'number';
      readonly connectionId: number;
      readonly number: number;
    }
  | {
      /** A REPORT about the latest guess; `text` is the seed's `Server: N is Decision`. */
      readonly type: 'report';
      readonly connectionId: number;
      readonly number: number;
      readonly decision: Decision;
      readonly text: string;
      /** Time from sending the guess to receiving this report, in ms. */
      readonly roundTripMs: number;
    }
  | {
      /** The first `Correct` of a game. */
      readonly type: 'game-completed';
      readonly connectionId: number;
      /** NUMBER answers in this game, the correct one included. */
      readonly guesses: number;
      /** From the PARAMS that opened the game to the Correct report, in ms. */
      readonly durationMs: number;
    }
  | {
      /** An ERROR line was sent. `fatal`: the connection closes after it. */
      readonly type: 'error';
      readonly connectionId: number;
      readonly code: WireErrorCode;
      readonly message: string;
      readonly fatal: boolean;
    }
  | {
      /** Reading from a client paused (its replies pile up unread) or resumed. */
      readonly type: 'backpressure';
      readonly connectionId: number;
      readonly paused: boolean;
    }
  | {
      /** Accepting a connection failed (e.g. EMFILE: out of file descriptors); the server keeps listening. */
      readonly type: 'accept-error';
      readonly error: Error;
    }
  | { readonly type: 'closed' };

/** Receives {@link GuessServerEvent}s. Called synchronously on the hot path: keep it cheap and never throw. */
export type GuessServerEventListener = (event: GuessServerEvent) => void;

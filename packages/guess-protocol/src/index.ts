/**
 * @fanout/guess-protocol: the seed's number-guessing game (Item 61) as a line codec, a
 * transport-free session state machine, a hardened TCP server, a client and a load
 * generator, wire-compatible with the seed's own programs.
 *
 * @example
 * ```ts
 * import { createGuessServer, connectGuessClient, playChapterGames, formatClientResult } from '@fanout/guess-protocol';
 *
 * await using server = createGuessServer({ onEvent: (e) => e.type === 'report' && console.log(e.text) });
 * const { port } = await server.listen();
 * await using client = await connectGuessClient({ port });
 * const results = await playChapterGames(client, { onLine: console.log });
 * for (const r of results) console.log(formatClientResult(r.number, r.decision));
 * ```
 * @packageDocumentation
 */
// ── the transport-free core: codec, decisions, errors, session, strategies ──
export {
  type Command,
  DECISIONS,
  type Decision,
  formatCommand,
  formatReply,
  parseCommand,
  parseCommandBytes,
  parseReply,
  type Reply,
} from './codec.js';
export {
  decide,
  formatClientResult,
  formatServerReport,
  formatSessionStart,
} from './decide.js';
export {
  ConnectionClosedError,
  ErrorCode,
  FATAL_ERROR_CODES,
  FATAL_WIRE_ERROR_CODES,
  GuessTimeoutError,
  isErrorCode,
  isWireErrorCode,
  ProtocolError,
  WireErrorCode,
} from './errors.js';
export { createRandom, RandomPermutation } from './random.js';
export {
  DEFAULT_MAX_RANGE,
  GuessSession,
  type GuessSessionOptions,
  MAX_RANGE_LIMIT,
} from './session.js';
export { STRATEGIES, type Strategy } from './strategies.js';
// ── the TCP server ──
export type { CloseReason, GuessServerEvent, GuessServerEventListener } from './server/events.js';
export {
  createGuessServer,
  type GuessServer,
  type GuessServerAddress,
  type GuessServerCloseOptions,
  type GuessServerOptions,
} from './server/server.js';
// ── the client ──
export { GuessClient, type GuessGame } from './client/client.js';
export { connectGuessClient, type GuessClientOptions } from './client/connect.js';
export {
  CHAPTER_SESSIONS,
  type ChapterSession,
  type GuessResult,
  type PlayChapterGamesOptions,
  playChapterGames,
} from './client/chapter-games.js';
// ── the load generator ──
export { LatencyHistogram, type LatencySummary } from './load/histogram.js';
export { type LoadOptions, type LoadProgress, type LoadResult, runLoad } from './load/load.js';
export {
  type OpenLoadOptions,
  type OpenLoadProgress,
  type OpenLoadResult,
  runOpenLoad,
} from './load/open-loop.js';

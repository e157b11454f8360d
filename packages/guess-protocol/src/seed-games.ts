import type { GuessClient } from './client.js';
import type { Decision } from './codec.js';
import { formatSessionStart } from './decide.js';

/** One game of the seed's client run. */
export interface SeedSession {
  readonly lower: number;
  readonly upper: number;
  readonly secret: number;
}

/** The seed's two sessions: 1..5 with secret 3, then 10..15 with secret 12. */
export const SEED_SESSIONS: readonly SeedSession[] = Object.freeze([
  Object.freeze({ lower: 1, upper: 5, secret: 3 }),
  Object.freeze({ lower: 10, upper: 15, secret: 12 }),
]);

/** One guess and the client's verdict on it. */
export interface GuessResult {
  readonly number: number;
  readonly decision: Decision;
}

/** Options of {@link playSeedGames}. */
export interface PlaySeedGamesOptions {
  /** Sessions to play; default {@link SEED_SESSIONS}. */
  readonly sessions?: readonly SeedSession[];
  /** Guesses asked per session at most; default 5, as in the seed. */
  readonly count?: number;
  /** Receives `Guess a number between 1 and 5! Shhhhh, it's 3.` as each session starts. */
  readonly onLine?: (line: string) => void;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Plays the seed's client run on `client` and returns every guess with its verdict, in
 * order (print them with {@link formatClientResult} for the seed's `Client: N is Decision`
 * lines). Between sessions it yields to the event loop twice so that a server in the same
 * process prints its last `Server:` line before the next `Guess a number` line, as in the
 * seed's transcript.
 *
 * @example
 * ```ts
 * await using client = await connectGuessClient({ port });
 * const results = await playSeedGames(client, { onLine: console.log });
 * for (const r of results) console.log(formatClientResult(r.number, r.decision));
 * ```
 */
export async function playSeedGames(
  client: GuessClient,
  options: PlaySeedGamesOptions = {},
): Promise<GuessResult[]> {
  const sessions = options.sessions ?? SEED_SESSIONS;
  const count = options.count ?? 5;
  const results: GuessResult[] = [];
  for (const { lower, upper, secret } of sessions) {
    await nextTurn();
    await nextTurn();
    options.onLine?.(formatSessionStart(lower, upper, secret));
    await using game = client.session(lower, upper, secret);
    for await (const number of game.requestNumbers(count)) {
      results.push({ number, decision: game.reportOutcome(number) });
    }
  }
  await nextTurn();
  await nextTurn();
  return results;
}

import type { GuessClient } from './client.js';
import type { Decision } from '../codec.js';
import { formatSessionStart } from '../decide.js';

/** One game of the chapter's client run (the book's Item 61 example). */
export interface ChapterSession {
  readonly lower: number;
  readonly upper: number;
  readonly secret: number;
}

/** The chapter's two sessions: 1..5 with secret 3, then 10..15 with secret 12. */
export const CHAPTER_SESSIONS: readonly ChapterSession[] = Object.freeze([
  Object.freeze({ lower: 1, upper: 5, secret: 3 }),
  Object.freeze({ lower: 10, upper: 15, secret: 12 }),
]);

/** One guess and the client's verdict on it. */
export interface GuessResult {
  readonly number: number;
  readonly decision: Decision;
}

/** Options of {@link playChapterGames}. */
export interface PlayChapterGamesOptions {
  /** Sessions to play; default {@link CHAPTER_SESSIONS}. */
  readonly sessions?: readonly ChapterSession[];
  /** Guesses asked per session at most; default 5, as in the chapter. */
  readonly count?: number;
  /** Receives `Guess a number between 1 and 5! Shhhhh, it's 3.` as each session starts. */
  readonly onLine?: (line: string) => void;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Plays the chapter's client run on `client` and returns every guess with its verdict, in
 * order (print them with {@link formatClientResult} for the chapter's `Client: N is Decision`
 * lines). Between sessions it yields to the event loop twice so that a server in the same
 * process prints its last `Server:` line before the next `Guess a number` line, as in the
 * chapter's transcript.
 *
 * @example
 * ```ts
 * await using client = await connectGuessClient({ port });
 * const results = await playChapterGames(client, { onLine: console.log });
 * for (const r of results) console.log(formatClientResult(r.number, r.decision));
 * ```
 */
export async function playChapterGames(
  client: GuessClient,
  options: PlayChapterGamesOptions = {},
): Promise<GuessResult[]> {
  const sessions = options.sessions ?? CHAPTER_SESSIONS;
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

import { type Command, type Decision, formatReply, parseCommand } from './codec.js';
import { WireErrorCode, ProtocolError } from './errors.js';
import { BisectStrategy, type GuessStrategy, RandomStrategy, type Strategy } from './strategies.js';

/** Largest `maxRange` accepted: beyond 2^52 numbers the guesses lose integer precision. */
export const MAX_RANGE_LIMIT = 2 ** 52;

/** Default `maxRange`: numbers one game may span. */
export const DEFAULT_MAX_RANGE = 2 ** 32;

/** Options of {@link GuessSession}. */
export interface GuessSessionOptions {
  /** `random` (the seed's, default) or `bisect`. */
  readonly strategy?: Strategy;
  /** Random source in [0, 1) for `random`; default `Math.random`. See {@link createRandom}. */
  readonly random?: () => number;
  /** Most numbers one game may span (upper - lower + 1); default 2^32, at most 2^52. */
  readonly maxRange?: number;
}

/**
 * One connection's game state, with no transport in it: feed it client lines, send back
 * the reply lines. Behaves like the seed's `Session`, except that where the seed would
 * crash or loop forever it answers an `ERROR <code> <message>` line and stays usable.
 *
 * @example
 * ```ts
 * const session = new GuessSession({ strategy: 'bisect' });
 * session.handle('PARAMS 1 5'); // []
 * session.handle('NUMBER');     // ['3']
 * session.handle('REPORT Correct'); // []
 * session.handle('NUMBER');     // ['3'] (after Correct the secret is repeated)
 * session.handle('JUMP');       // ['ERROR unknown-command unknown command "JUMP" ...']
 * ```
 */
export class GuessSession {
  readonly #strategyName: Strategy;
  readonly #random: () => number;
  readonly #maxRange: number;
  #strategy: GuessStrategy | undefined;
  #lower: number | undefined;
  #upper: number | undefined;
  #guessCount = 0;
  #lastGuess: number | undefined;
  #secret: number | undefined;

  constructor(options: GuessSessionOptions = {}) {
    this.#strategyName = options.strategy ?? 'random';
    if (this.#strategyName !== 'random' && this.#strategyName !== 'bisect') {
      throw new TypeError(`strategy must be 'random' or 'bisect', got ${String(options.strategy)}`);
    }
    this.#random = options.random ?? Math.random;
    const maxRange = options.maxRange ?? DEFAULT_MAX_RANGE;
    if (!Number.isSafeInteger(maxRange) || maxRange < 1 || maxRange > MAX_RANGE_LIMIT) {
      throw new RangeError(`maxRange must be an integer in 1..2^52, got ${maxRange}`);
    }
    this.#maxRange = maxRange;
  }

  /** True between a PARAMS that opened a game and the next PARAMS. */
  get inGame(): boolean {
    return this.#strategy !== undefined;
  }
  /** The game's lower bound, while in a game. */
  get lower(): number | undefined {
    return this.#lower;
  }
  /** The game's upper bound, while in a game. */
  get upper(): number | undefined {
    return this.#upper;
  }
  /** NUMBER commands answered in this game. */
  get guessCount(): number {
    return this.#guessCount;
  }
  /** The latest guess of this game (what a REPORT refers to). */
  get lastGuess(): number | undefined {
    return this.#lastGuess;
  }
  /** The secret, once a report said `Correct`. */
  get secret(): number | undefined {
    return this.#secret;
  }

  /**
   * Handles one client line (without `\n`) and returns the reply lines (without `\n`):
   * one line for NUMBER, none for PARAMS and REPORT, one ERROR line for a bad command.
   */
  handle(line: string): string[] {
    try {
      const guess = this.apply(parseCommand(line));
      return guess === undefined ? [] : [String(guess)];
    } catch (error) {
      if (error instanceof ProtocolError) {
        return [formatReply({ type: 'error', code: error.reason, message: error.message })];
      }
      throw error;
    }
  }

  /**
   * Applies a parsed command. Returns the guess for NUMBER, undefined otherwise.
   *
   * @throws {ProtocolError} `no-game`, `no-guess`, `exhausted` or `range-too-large`; the
   * session state is unchanged by a rejected command.
   */
  apply(command: Command): number | undefined {
    switch (command.type) {
      case 'number':
        return this.#nextNumber();
      case 'report':
        this.#report(command.decision);
        return undefined;
      case 'params':
        this.#setParams(command.lower, command.upper);
        return undefined;
    }
  }

  #setParams(lower: number, upper: number): void {
    if (lower <= upper && upper - lower + 1 > this.#maxRange) {
      throw new ProtocolError(
        WireErrorCode.RangeTooLarge,
        `range ${lower}..${upper} spans ${upper - lower + 1} numbers, more than the limit ${this.#maxRange}`,
      );
    }
    this.#guessCount = 0;
    this.#lastGuess = undefined;
    this.#secret = undefined;
    if (lower > upper) {
      // The seed's client sends PARAMS 0 -1 when a session ends: it clears the game.
      this.#strategy = undefined;
      this.#lower = undefined;
      this.#upper = undefined;
      return;
    }
    this.#lower = lower;
    this.#upper = upper;
    this.#strategy =
      this.#strategyName === 'bisect'
        ? new BisectStrategy(lower, upper)
        : new RandomStrategy(lower, upper, this.#random);
  }

  #nextNumber(): number {
    const strategy = this.#strategy;
    if (strategy === undefined) {
      throw new ProtocolError(WireErrorCode.NoGame, 'no game: send PARAMS <lower> <upper> first');
    }
    const guess = this.#secret ?? strategy.next();
    if (guess === undefined) {
      throw new ProtocolError(
        WireErrorCode.Exhausted,
        `every number of ${this.#lower}..${this.#upper} was already guessed`,
      );
    }
    this.#guessCount++;
    this.#lastGuess = guess;
    return guess;
  }

  #report(decision: Decision): void {
    const strategy = this.#strategy;
    if (strategy === undefined) {
      throw new ProtocolError(WireErrorCode.NoGame, 'no game: send PARAMS <lower> <upper> first');
    }
    const guess = this.#lastGuess;
    if (guess === undefined) {
      throw new ProtocolError(WireErrorCode.NoGuess, 'no guess to report on: send NUMBER first');
    }
    if (decision === 'Correct') this.#secret = guess;
    else if (this.#secret === undefined) strategy.report(guess, decision);
  }
}

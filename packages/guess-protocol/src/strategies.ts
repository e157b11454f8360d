import type { Decision } from './codec.js';
import { RandomPermutation } from './random.js';

export { STRATEGIES, type Strategy } from './constants.js';

/** One game's guessing logic, between a PARAMS and the next. */
export interface GuessStrategy {
  /** The next guess, or undefined when there is nothing left to guess. */
  next(): number | undefined;
  /** The client's report about `guess` (the latest guess). */
  report(guess: number, decision: Decision): void;
}

/** The seed's strategy: a random number of the range not guessed before; ignores reports. */
export class RandomStrategy implements GuessStrategy {
  readonly #lower: number;
  readonly #order: RandomPermutation;

  constructor(lower: number, upper: number, random: () => number) {
    this.#lower = lower;
    this.#order = new RandomPermutation(upper - lower + 1, random);
  }

  next(): number | undefined {
    const offset = this.#order.next();
    return offset === undefined ? undefined : this.#lower + offset;
  }

  report(): void {}
}

/**
 * Hot/cold bisection. The client compares each guess with the previous one, so a report
 * about guess `g` after reference `r` says on which side of the midpoint (g + r) / 2 the
 * secret lies. Guessing the reflection of `r` across the middle of the candidate interval
 * puts that midpoint in the middle, halving the interval per report. Guesses are clamped
 * to the game's range; a report that contradicts earlier ones resets the interval to the
 * whole range, so a lying client costs guesses, never a loop.
 */
export class BisectStrategy implements GuessStrategy {
  readonly #lower: number;
  readonly #upper: number;
  #lo: number;
  #hi: number;
  /** The previous reported guess: the client's reference distance. */
  #reference: number | undefined;

  constructor(lower: number, upper: number) {
    this.#lower = lower;
    this.#upper = upper;
    this.#lo = lower;
    this.#hi = upper;
  }

  next(): number {
    const lo = this.#lo;
    const hi = this.#hi;
    const ref = this.#reference;
    if (lo === hi) return lo;
    if (ref === undefined) return Math.floor((lo + hi) / 2);
    let guess = lo + hi - ref;
    if (guess === ref) guess = ref + 1 <= this.#upper ? ref + 1 : ref - 1;
    guess = Math.min(this.#upper, Math.max(this.#lower, guess));
    const split = (guess + ref) / 2;
    if (guess === ref || split < lo || split >= hi) {
      // No guess can split the interval from here: move to its nearer edge so the next
      // reflection lands inside it again.
      guess = Math.abs(lo - ref) <= Math.abs(hi - ref) ? lo : hi;
      if (guess === ref) guess = guess === lo ? hi : lo;
    }
    return guess;
  }

  report(guess: number, decision: Decision): void {
    if (decision === 'Correct') {
      this.#lo = guess;
      this.#hi = guess;
      this.#reference = guess;
      return;
    }
    const ref = this.#reference;
    if (ref !== undefined && guess !== ref) {
      const split = (guess + ref) / 2;
      if (decision === 'Unsure') {
        if (Number.isInteger(split)) this.#narrow(split, split);
        else this.#narrow(1, 0);
      } else if (guess > ref === (decision === 'Warmer')) {
        this.#narrow(Math.floor(split) + 1, this.#hi);
      } else {
        this.#narrow(this.#lo, Math.ceil(split) - 1);
      }
    }
    // Not Correct, so the guess itself is out.
    if (guess === this.#lo && this.#lo < this.#hi) this.#lo++;
    else if (guess === this.#hi && this.#lo < this.#hi) this.#hi--;
    else if (guess === this.#lo) this.#narrow(1, 0);
    this.#reference = guess;
  }

  #narrow(lo: number, hi: number): void {
    this.#lo = Math.max(this.#lo, lo);
    this.#hi = Math.min(this.#hi, hi);
    if (this.#lo > this.#hi) {
      this.#lo = this.#lower;
      this.#hi = this.#upper;
    }
  }
}

/** Generations per second, or as many as fit in a frame's budget. */
export type Speed = number | 'max';

/** What the player drives: advance the world, then show it. */
export interface PlayerTarget {
  /** Advances one generation. */
  step(): void;
  /** Draws the current generation (once per animation frame at most). */
  draw(): void;
  /** Told after every frame that advanced: generations run and the time spent, in ms. */
  measured?(generations: number, stepMs: number, drawMs: number): void;
}

/** Animation frames and a clock; the page passes `requestAnimationFrame` and `performance`. */
export interface FrameClock {
  /** Calls `callback` before the next repaint with that frame's timestamp (ms). */
  request(callback: (time: number) => void): number;
  cancel(id: number): void;
  /** Current time in ms, on the same scale as frame timestamps. */
  now(): number;
}

/** Time a frame may spend stepping at speed `max`, leaving room for drawing at 60 Hz. */
const MAX_SPEED_BUDGET_MS = 10;
/** After a stall (background tab, debugger) the player does not try to catch up. */
const MAX_CATCH_UP_GENERATIONS = 8;

/**
 * Runs a world at a chosen speed on requestAnimationFrame: several generations per frame
 * when the speed is above the display rate, one every few frames below it, and one draw
 * per frame at most.
 */
export class Player {
  readonly #target: PlayerTarget;
  readonly #clock: FrameClock;
  #speed: Speed = 30;
  #frame: number | undefined;
  #lastTime: number | undefined;
  #owed = 0;

  constructor(target: PlayerTarget, clock: FrameClock) {
    this.#target = target;
    this.#clock = clock;
  }

  get playing(): boolean {
    return this.#frame !== undefined;
  }

  get speed(): Speed {
    return this.#speed;
  }

  set speed(speed: Speed) {
    this.#speed = speed;
    this.#owed = 0;
  }

  play(): void {
    if (this.#frame !== undefined) return;
    this.#lastTime = undefined;
    this.#owed = 0;
    this.#frame = this.#clock.request(this.#onFrame);
  }

  pause(): void {
    if (this.#frame === undefined) return;
    this.#clock.cancel(this.#frame);
    this.#frame = undefined;
  }

  /** Plays when paused, pauses when playing; returns whether it now plays. */
  toggle(): boolean {
    if (this.playing) this.pause();
    else this.play();
    return this.playing;
  }

  readonly #onFrame = (now: number): void => {
    this.#frame = this.#clock.request(this.#onFrame);
    const elapsed = this.#lastTime === undefined ? 0 : now - this.#lastTime;
    this.#lastTime = now;
    const start = this.#clock.now();
    let generations = 0;
    if (this.#speed === 'max') {
      do {
        this.#target.step();
        generations++;
      } while (this.#clock.now() - start < MAX_SPEED_BUDGET_MS);
    } else {
      // The first frame after play() steps at once, so play feels immediate.
      this.#owed = elapsed === 0 ? 1 : this.#owed + (elapsed * this.#speed) / 1000;
      // The epsilon keeps float error (1000/60 ms × 60 gen/s = 0.999…) from losing a step.
      generations = Math.min(Math.floor(this.#owed + 1e-6), MAX_CATCH_UP_GENERATIONS);
      this.#owed = generations === MAX_CATCH_UP_GENERATIONS ? 0 : this.#owed - generations;
      for (let i = 0; i < generations; i++) this.#target.step();
    }
    if (generations === 0) return;
    const stepped = this.#clock.now();
    this.#target.draw();
    this.#target.measured?.(generations, stepped - start, this.#clock.now() - stepped);
  };
}

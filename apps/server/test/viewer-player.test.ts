import { describe, expect, it } from 'vitest';
import { type FrameClock, Player } from '../web/src/player.js';

// The player runs on animation frames; here a fake clock delivers frames with chosen
// timestamps and a step costs a chosen time, so speeds are checked without real time.

class FakeClock implements FrameClock {
  time = 0;
  #callbacks = new Map<number, (time: number) => void>();
  #nextId = 1;

  request(callback: (time: number) => void): number {
    const id = this.#nextId++;
    this.#callbacks.set(id, callback);
    return id;
  }

  cancel(id: number): void {
    this.#callbacks.delete(id);
  }

  now(): number {
    return this.time;
  }

  get pending(): number {
    return this.#callbacks.size;
  }

  /** Delivers the next frame at `time`. */
  frame(time: number): void {
    this.time = time;
    const due = [...this.#callbacks.values()];
    this.#callbacks.clear();
    for (const callback of due) callback(time);
  }
}

function setup(stepCostMs = 0) {
  const clock = new FakeClock();
  const counts = { steps: 0, draws: 0, measured: [] as number[] };
  const player = new Player(
    {
      step: () => {
        counts.steps++;
        clock.time += stepCostMs;
      },
      draw: () => {
        counts.draws++;
      },
      measured: (generations) => counts.measured.push(generations),
    },
    clock,
  );
  return { player, clock, counts };
}

describe('Player', () => {
  it('steps at once on play, then at the chosen speed, drawing once per frame that advanced', () => {
    const { player, clock, counts } = setup();
    player.speed = 30;
    player.play();
    clock.frame(1000);
    expect(counts.steps).toBe(1);
    for (let i = 1; i <= 60; i++) clock.frame(1000 + (i * 1000) / 60); // one second at 60 Hz
    expect(counts.steps).toBe(31);
    expect(counts.draws).toBe(31);
    expect(counts.measured.every((n) => n === 1)).toBe(true);
  });

  it('runs several generations per frame above the display rate', () => {
    const { player, clock, counts } = setup();
    player.speed = 60;
    player.play();
    clock.frame(0);
    clock.frame(50); // three frames' worth
    expect(counts.steps).toBe(1 + 3);
    expect(counts.draws).toBe(2);
    expect(counts.measured).toEqual([1, 3]);
  });

  it('does not try to catch up after a long stall', () => {
    const { player, clock, counts } = setup();
    player.speed = 60;
    player.play();
    clock.frame(0);
    clock.frame(60_000); // a background tab for a minute
    expect(counts.steps).toBe(1 + 8);
    clock.frame(60_000 + 1000 / 60);
    expect(counts.steps).toBe(1 + 8 + 1);
  });

  it('at speed max, steps until the frame budget is spent, then draws once', () => {
    const { player, clock, counts } = setup(3);
    player.speed = 'max';
    player.play();
    clock.frame(0);
    expect(counts.steps).toBe(4); // 3 ms each: 12 ms passes the 10 ms budget
    expect(counts.draws).toBe(1);
    expect(counts.measured).toEqual([4]);
  });

  it('pauses, toggles and stops asking for frames', () => {
    const { player, clock, counts } = setup();
    expect(player.playing).toBe(false);
    expect(player.toggle()).toBe(true);
    player.play(); // already playing: no second frame loop
    expect(clock.pending).toBe(1);
    clock.frame(0);
    expect(player.toggle()).toBe(false);
    expect(clock.pending).toBe(0);
    clock.frame(100);
    expect(counts.steps).toBe(1);
  });
});

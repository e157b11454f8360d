import type { World } from './world.js';

/** What the hook needs from the page. */
export interface TestHookHost {
  world(): World;
  render(): void;
  choosePattern(id: string): void;
  chooseSize(size: number): void;
}

/** Result of {@link ViewerTestHook.measureStepAndDraw}: medians over the measured run. */
export interface StepAndDrawTiming {
  size: number;
  generations: number;
  /** Median time of one generation plus drawing it (ms). */
  msPerGeneration: number;
  /** Median time of the generation alone (ms). */
  stepMs: number;
  /** Median time of the drawing alone (ms). */
  drawMs: number;
}

/**
 * `window.__fanoutViewer`: a small read-mostly window into the page for end-to-end tests
 * and for curious people at the console. Cells are `[x, y]` pairs, (0, 0) at the top left.
 */
export interface ViewerTestHook {
  liveCells(): Array<[number, number]>;
  generation(): number;
  population(): number;
  size(): { width: number; height: number };
  /**
   * Switches the page to a size × size world filled with a seeded random soup, then times
   * `generations` rounds of one generation plus one draw (after a short warm-up).
   */
  measureStepAndDraw(size?: number, generations?: number): StepAndDrawTiming;
}

declare global {
  interface Window {
    __fanoutViewer?: ViewerTestHook;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Installs `window.__fanoutViewer`. */
export function installTestHook(target: Window, host: TestHookHost): void {
  target.__fanoutViewer = {
    liveCells: () => host.world().liveCells(),
    generation: () => host.world().generation,
    population: () => host.world().liveCells().length,
    size: () => ({ width: host.world().width, height: host.world().height }),
    measureStepAndDraw(size = 512, generations = 200) {
      host.choosePattern('random');
      host.chooseSize(size);
      const warmUp = 20;
      const step: number[] = [];
      const draw: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < warmUp + generations; i++) {
        const t0 = performance.now();
        host.world().step();
        const t1 = performance.now();
        host.render();
        const t2 = performance.now();
        if (i < warmUp) continue;
        step.push(t1 - t0);
        draw.push(t2 - t1);
        total.push(t2 - t0);
      }
      return {
        size,
        generations,
        msPerGeneration: median(total),
        stepMs: median(step),
        drawMs: median(draw),
      };
    },
  };
}

import { type BigMode, PICTURE_SIZE } from './big-mode.js';
import type { World } from './world.js';

/** What the hook needs from the page. */
export interface TestHookHost {
  world(): World;
  mode(): 'torus' | 'unbounded';
  big(): BigMode;
  render(): void;
  choosePattern(id: string): void;
  chooseSize(size: number): void;
}

/**
 * Result of {@link ViewerTestHook.measureStepAndDraw}, in ms. Browsers coarsen
 * `performance.now()` (to 0.1 ms in Chromium without cross-origin isolation), so the means
 * are taken over the whole run rather than from single readings.
 */
export interface StepAndDrawTiming {
  size: number;
  generations: number;
  /** Mean time of one generation plus drawing it. */
  msPerGeneration: number;
  /** Mean time of the generation alone. */
  stepMs: number;
  /** Mean time of the drawing alone (painting the pixels and `putImageData`). */
  drawMs: number;
  /** Slowest single generation plus draw, as read by the coarse clock. */
  worstMs: number;
}

/**
 * `window.__fanoutViewer`: a small read-mostly window into the page for end-to-end tests
 * and for curious people at the console. Cells are `[x, y]` pairs, (0, 0) at the top left.
 */
/** The big-world mode's state, as the page shows it. */
export interface BigWorldState {
  /** Exact counters, in decimal. */
  generation: string;
  population: string;
  rule: string;
  zoom: number;
  centreX: number;
  centreY: number;
  stepLog: number;
  /** True while a step is being computed. */
  busy: boolean;
  /** The view's top-left cell and the picture's size in pixels. */
  x: number;
  y: number;
  pictureSize: number;
  /** Indices (py * pictureSize + px) of the lit pixels of the picture now drawn. */
  litPixels: number[];
}

export interface ViewerTestHook {
  /** Which world the controls drive. */
  mode(): 'torus' | 'unbounded';
  /** The big-world state, or undefined before one is loaded. */
  bigWorld(): BigWorldState | undefined;
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

/** Installs `window.__fanoutViewer`. */
export function installTestHook(target: Window, host: TestHookHost): void {
  target.__fanoutViewer = {
    mode: () => host.mode(),
    bigWorld() {
      const big = host.big();
      const world = big.world;
      if (world === undefined) return undefined;
      const { x, y } = world.window(PICTURE_SIZE, PICTURE_SIZE);
      const picture = world.picture(PICTURE_SIZE, PICTURE_SIZE);
      const litPixels: number[] = [];
      picture.forEach((lit, i) => {
        if (lit) litPixels.push(i);
      });
      return {
        generation: world.generation,
        population: world.population,
        rule: `B${world.rule.birth.join('')}/S${world.rule.survival.join('')}`,
        zoom: world.zoom,
        centreX: world.centreX,
        centreY: world.centreY,
        stepLog: world.stepLog,
        busy: big.busy,
        x,
        y,
        pictureSize: PICTURE_SIZE,
        litPixels,
      };
    },
    liveCells: () => host.world().liveCells(),
    generation: () => host.world().generation,
    population: () => host.world().liveCells().length,
    size: () => ({ width: host.world().width, height: host.world().height }),
    measureStepAndDraw(size = 512, generations = 200) {
      host.choosePattern('random');
      host.chooseSize(size);
      const warmUp = 20;
      let stepTotal = 0;
      let drawTotal = 0;
      let worstMs = 0;
      for (let i = 0; i < warmUp + generations; i++) {
        const t0 = performance.now();
        host.world().step();
        const t1 = performance.now();
        host.render();
        const t2 = performance.now();
        if (i < warmUp) continue;
        stepTotal += t1 - t0;
        drawTotal += t2 - t1;
        worstMs = Math.max(worstMs, t2 - t0);
      }
      return {
        size,
        generations,
        msPerGeneration: (stepTotal + drawTotal) / generations,
        stepMs: stepTotal / generations,
        drawMs: drawTotal / generations,
        worstMs,
      };
    },
  };
}

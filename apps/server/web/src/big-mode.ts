import { type EngineSource, HashLifeMemoryError, type LifeRule, formatRule } from '@fanout/grid';
import { BigWorld } from './big-world.js';

/** The page's elements the big-world mode drives. */
export interface BigModeElements {
  readonly canvas: HTMLCanvasElement;
  readonly stepSize: HTMLSelectElement;
  readonly scale: HTMLOutputElement;
  readonly generation: HTMLOutputElement;
  readonly population: HTMLOutputElement;
  readonly rule: HTMLOutputElement;
  readonly timing: HTMLOutputElement;
  readonly play: HTMLButtonElement;
}

/** The picture's size in pixels (the canvas keeps one pixel per screen pixel). */
export const PICTURE_SIZE = 512;

/** RGBA packed little-endian (0xAABBGGRR), as the torus renderer does. */
const rgba = (r: number, g: number, b: number): number =>
  ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
const LIVE = rgba(0x7c, 0xc4, 0xff);
const DEAD = rgba(0x05, 0x08, 0x0b);

/**
 * The big-world mode: a HashLife world far larger than the screen, panned by dragging,
 * zoomed by powers of two, stepped 2^k generations a frame with exact counters.
 */
export class BigMode {
  readonly #ui: BigModeElements;
  readonly #context: CanvasRenderingContext2D;
  readonly #image: ImageData;
  readonly #pixels: Uint32Array;
  readonly #onError: (message: string) => void;
  #world: BigWorld | undefined;
  #source: { source: EngineSource; label: string; rule: LifeRule | undefined } | undefined;
  #playing = false;
  #busy: Promise<void> | undefined;
  #frame: number | undefined;

  constructor(ui: BigModeElements, onError: (message: string) => void) {
    this.#ui = ui;
    this.#onError = onError;
    const context = ui.canvas.getContext('2d', { alpha: false });
    if (context === null) throw new Error('this browser has no 2D canvas');
    this.#context = context;
    ui.canvas.width = PICTURE_SIZE;
    ui.canvas.height = PICTURE_SIZE;
    this.#image = context.createImageData(PICTURE_SIZE, PICTURE_SIZE);
    this.#pixels = new Uint32Array(this.#image.data.buffer);
    for (let k = 0; k <= 40; k++) {
      ui.stepSize.add(new Option(k === 0 ? '1 (2^0)' : `2^${k} = ${2n ** BigInt(k)}`, String(k)));
    }
    ui.stepSize.addEventListener('change', () => {
      if (this.#world !== undefined) this.#world.stepLog = Number(ui.stepSize.value);
    });
    this.#installDrag();
  }

  get world(): BigWorld | undefined {
    return this.#world;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /** Whether a step is being computed now. */
  get busy(): boolean {
    return this.#busy !== undefined;
  }

  /** Shows a new world (a pattern, cells or a macrocell tree), fitted to the picture. */
  async load(source: EngineSource, label: string, rule?: LifeRule): Promise<void> {
    await this.pause();
    await this.#world?.close();
    this.#source = { source, label, rule };
    const world = new BigWorld(source, label, rule);
    world.stepLog = Number(this.#ui.stepSize.value);
    world.fit(PICTURE_SIZE, PICTURE_SIZE);
    this.#world = world;
    this.#ui.rule.value = formatRule(world.rule);
    this.#ui.timing.value = '–';
    this.#ui.canvas.setAttribute(
      'aria-label',
      `Unbounded Life world: ${label}, ${world.population} cells`,
    );
    this.draw();
  }

  /** Starts the same world again from its source. */
  async reset(): Promise<void> {
    if (this.#source === undefined) return;
    const { source, label, rule } = this.#source;
    await this.load(source, label, rule);
  }

  draw(): void {
    const world = this.#world;
    if (world === undefined) return;
    world.paint(this.#pixels, PICTURE_SIZE, PICTURE_SIZE, LIVE, DEAD);
    this.#context.putImageData(this.#image, 0, 0);
    this.#ui.generation.value = world.generation;
    this.#ui.population.value = world.population;
    this.#ui.scale.value = world.scaleLabel();
  }

  /** One frame's worth: 2^k generations. Resolves when it is drawn. */
  async step(): Promise<void> {
    const world = this.#world;
    if (world === undefined || this.#busy !== undefined) return;
    const start = performance.now();
    const run = world.advance().then(
      () => {
        this.#ui.timing.value = `${(performance.now() - start).toFixed(1)} ms for 2^${world.stepLog}`;
        this.draw();
      },
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        this.#playing = false;
        this.#showPlaying();
        this.#onError(
          error instanceof HashLifeMemoryError
            ? `${world.label}: ${error.message}`
            : `${world.label}: ${String(error)}`,
        );
      },
    );
    this.#busy = run;
    try {
      await run;
    } finally {
      this.#busy = undefined;
    }
  }

  play(): void {
    if (this.#playing || this.#world === undefined) return;
    this.#playing = true;
    this.#showPlaying();
    const loop = async (): Promise<void> => {
      if (!this.#playing) return;
      await this.step();
      if (this.#playing) this.#frame = requestAnimationFrame(() => void loop());
    };
    void loop();
  }

  /** Stops playing and any step under way. */
  async pause(): Promise<void> {
    this.#playing = false;
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    this.#world?.stop();
    await this.#busy;
    this.#showPlaying();
  }

  toggle(): void {
    if (this.#playing) void this.pause();
    else this.play();
  }

  zoomBy(direction: 1 | -1): void {
    this.#world?.zoomBy(direction);
    this.draw();
  }

  fit(): void {
    this.#world?.fit(PICTURE_SIZE, PICTURE_SIZE);
    this.draw();
  }

  #showPlaying(): void {
    this.#ui.play.textContent = this.#playing ? 'Pause' : 'Play';
    this.#ui.play.setAttribute('aria-pressed', String(this.#playing));
  }

  #installDrag(): void {
    const canvas = this.#ui.canvas;
    let last: { x: number; y: number } | undefined;
    canvas.addEventListener('pointerdown', (event) => {
      last = { x: event.clientX, y: event.clientY };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (last === undefined || this.#world === undefined) return;
      // Screen pixels to picture pixels (the canvas may be drawn at another CSS size).
      const box = canvas.getBoundingClientRect();
      const ratio = box.width > 0 ? PICTURE_SIZE / box.width : 1;
      this.#world.pan((event.clientX - last.x) * ratio, (event.clientY - last.y) * ratio);
      last = { x: event.clientX, y: event.clientY };
      this.draw();
    });
    const end = (): void => {
      last = undefined;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }
}

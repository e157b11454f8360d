import {
  type EngineSource,
  type HashLifeEngine,
  type LifeRule,
  createHashLifeEngine,
} from '@fanout/grid';

/** Closest zoom: 16 screen pixels per cell. */
export const MIN_ZOOM = -4;
/** Farthest zoom: one pixel per 2^60 × 2^60 cells. */
export const MAX_ZOOM = 60;

/**
 * The unbounded world of the big-world mode: a HashLife engine and a view onto it.
 * `zoom` z >= 0 means one pixel covers a square of 2^z × 2^z cells (lit when any of them
 * lives); z < 0 means one cell is drawn 2^-z pixels wide. The view is centred on
 * (`centreX`, `centreY`) in cell coordinates. Each frame advances 2^`stepLog` generations.
 */
export class BigWorld {
  readonly engine: HashLifeEngine;
  readonly label: string;
  centreX = 0;
  centreY = 0;
  zoom = 0;
  stepLog = 0;
  #controller = new AbortController();

  constructor(source: EngineSource, label: string, rule?: LifeRule) {
    this.engine = createHashLifeEngine(source, rule === undefined ? {} : { rule });
    this.label = label;
  }

  get rule(): LifeRule {
    return this.engine.rule;
  }

  /** Exact generation, in decimal. */
  get generation(): string {
    return this.engine.exactGeneration.toString();
  }

  /** Exact population, in decimal. */
  get population(): string {
    return this.engine.exactPopulation().toString();
  }

  /** Advances 2^stepLog generations, in slices that keep the page responsive. */
  advance(): Promise<void> {
    return this.engine.step(2n ** BigInt(this.stepLog), { signal: this.#controller.signal });
  }

  /** Stops a running `advance` (it rejects with an AbortError); the world stays whole. */
  stop(): void {
    this.#controller.abort(new DOMException('stopped', 'AbortError'));
    this.#controller = new AbortController();
  }

  /** Centres the view on the live cells and zooms so they fit `width × height` pixels. */
  fit(width: number, height: number): void {
    const box = this.engine.bounds();
    if (box === undefined) {
      this.centreX = 0;
      this.centreY = 0;
      this.zoom = 0;
      return;
    }
    this.centreX = box.x + box.width / 2;
    this.centreY = box.y + box.height / 2;
    const ratio = Math.max(box.width / (width - 2), box.height / (height - 2));
    this.zoom = clampZoom(Math.ceil(Math.log2(Math.max(ratio, 2 ** MIN_ZOOM))));
  }

  /** Zooms in (direction 1: closer) or out (-1), keeping the centre. */
  zoomBy(direction: 1 | -1): void {
    this.zoom = clampZoom(this.zoom - direction);
  }

  /** Moves the view by a drag of (dx, dy) screen pixels. */
  pan(dx: number, dy: number): void {
    const cellsPerPixel = 2 ** this.zoom;
    this.centreX -= dx * cellsPerPixel;
    this.centreY -= dy * cellsPerPixel;
  }

  /** The view's top-left cell and cell span for a picture of width × height pixels. */
  window(width: number, height: number): { x: number; y: number; cellsPerPixel: number } {
    const cellsPerPixel = 2 ** this.zoom;
    // Aligned to whole pixels' squares, so the picture does not shimmer as it pans.
    const unit = Math.max(1, cellsPerPixel);
    const x = Math.floor((this.centreX - (width / 2) * cellsPerPixel) / unit) * unit;
    const y = Math.floor((this.centreY - (height / 2) * cellsPerPixel) / unit) * unit;
    return { x, y, cellsPerPixel };
  }

  /**
   * One byte per pixel, 1 where the pixel's square holds life: what `paint` draws.
   */
  picture(width: number, height: number): Uint8Array {
    const { x, y } = this.window(width, height);
    if (this.zoom >= 0) return this.engine.occupancy(x, y, width, height, this.zoom);
    const size = 2 ** -this.zoom;
    const cellsWide = Math.ceil(width / size);
    const cellsHigh = Math.ceil(height / size);
    const cells = this.engine.occupancy(x, y, cellsWide, cellsHigh, 0);
    const out = new Uint8Array(width * height);
    for (let py = 0; py < height; py++) {
      const row = Math.floor(py / size) * cellsWide;
      for (let px = 0; px < width; px++) out[py * width + px] = cells[row + Math.floor(px / size)]!;
    }
    return out;
  }

  /** Paints the picture into `pixels` (RGBA words) with the given colours. */
  paint(pixels: Uint32Array, width: number, height: number, live: number, dead: number): void {
    const picture = this.picture(width, height);
    for (let i = 0; i < picture.length; i++) pixels[i] = picture[i] ? live : dead;
  }

  /** What one pixel stands for, for the page's legend. */
  scaleLabel(): string {
    if (this.zoom < 0) return `${2 ** -this.zoom} pixels per cell`;
    if (this.zoom === 0) return '1 cell per pixel';
    return `1 pixel per 2^${this.zoom} × 2^${this.zoom} cells`;
  }

  close(): Promise<void> {
    this.stop();
    return this.engine.close();
  }
}

function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

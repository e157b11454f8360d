import { Palette } from './palette.js';
import type { World } from './world.js';

/** RGBA in memory order packed little-endian into one Uint32 (0xAABBGGRR). */
function rgba(r: number, g: number, b: number): number {
  return ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** Live cells light blue, empty cells near black. */
const PALETTE = new Palette(rgba(0x7c, 0xc4, 0xff), rgba(0x05, 0x08, 0x0b));

/**
 * Draws a world one pixel per cell into a canvas and lets CSS scale it up (pixelated), so
 * zoom costs nothing per frame. The ImageData and its Uint32Array view are made once per
 * world size and reused by every frame: drawing allocates nothing.
 */
export class CanvasRenderer {
  readonly #canvas: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  #image: ImageData | undefined;
  #pixels = new Uint32Array(0);
  #zoom = 1;

  constructor(canvas: HTMLCanvasElement) {
    const context = canvas.getContext('2d', { alpha: false });
    if (context === null) throw new Error('this browser has no 2D canvas');
    this.#canvas = canvas;
    this.#context = context;
  }

  /** Sizes the canvas (and its reusable pixel buffer) for a world of width × height cells. */
  resize(width: number, height: number): void {
    if (this.#image?.width === width && this.#image.height === height) return;
    this.#canvas.width = width;
    this.#canvas.height = height;
    this.#image = this.#context.createImageData(width, height);
    this.#pixels = new Uint32Array(this.#image.data.buffer);
    this.#applyZoom();
  }

  /** Screen pixels per cell; the canvas keeps one pixel per cell. */
  setZoom(zoom: number): void {
    this.#zoom = zoom;
    this.#applyZoom();
  }

  get zoom(): number {
    return this.#zoom;
  }

  /** Paints the world and returns its population (counted while painting). */
  draw(world: World): number {
    const image = this.#image;
    if (image === undefined) throw new Error('resize() the renderer before drawing');
    const population = world.paint(this.#pixels, PALETTE);
    this.#context.putImageData(image, 0, 0);
    return population;
  }

  /** The cell under a point given in client (CSS) coordinates, if it is on the canvas. */
  cellAt(clientX: number, clientY: number): { x: number; y: number } | undefined {
    const box = this.#canvas.getBoundingClientRect();
    const x = Math.floor(((clientX - box.left) / box.width) * this.#canvas.width);
    const y = Math.floor(((clientY - box.top) / box.height) * this.#canvas.height);
    if (x < 0 || y < 0 || x >= this.#canvas.width || y >= this.#canvas.height) return undefined;
    return { x, y };
  }

  #applyZoom(): void {
    this.#canvas.style.width = `${this.#canvas.width * this.#zoom}px`;
    this.#canvas.style.height = `${this.#canvas.height * this.#zoom}px`;
  }
}

/**
 * Golly's bounded grids: the suffix after a rule in an RLE file (`B3/S23:T64,32`), which
 * gives the world's topology and size, width first. Golly documents `:P` plane, `:T` torus
 * (optionally with a shift on one pair of edges), `:K` Klein bottle, `:C` cross-surface and
 * `:S` sphere, and 0 for an infinite width or height (Help > Bounded Grids). fanout runs a
 * plane and an unshifted torus of finite size; the others are reported as unsupported.
 */
import type { Topology } from '../grid.js';

/** The size and topology an RLE file asks for with Golly's rule suffix (`:T64,32`). */
export interface BoundedGrid {
  readonly topology: Topology;
  /** Cells across (Golly's first number). */
  readonly width: number;
  /** Cells down (Golly's second number; the width when only one is given). */
  readonly height: number;
}

/** Why a suffix was refused: `syntax` (not Golly's form) or `unsupported` (Golly's, not ours). */
export interface BoundedGridProblem {
  readonly kind: 'syntax' | 'unsupported';
  readonly problem: string;
  /** 0-based offset in the suffix text of the problem. */
  readonly offset: number;
}

/** Golly's largest bounded grid side. */
const GOLLY_MAX_SIDE = 2_000_000_000;

const NAMES: Record<string, string> = {
  P: 'plane',
  T: 'torus',
  K: 'Klein bottle',
  C: 'cross-surface',
  S: 'sphere',
};

// letter, width, twist, shift, then optionally ",height" with its own twist and shift.
const SUFFIX = /^([A-Za-z])(\d+)(\*?)([+-]\d+)?(?:,(\d+)(\*?)([+-]\d+)?)?$/;

/**
 * Read a bounded-grid suffix, the text after the rule's `:` (`T64,32`, `P30`, `t10,0`).
 * Returns the grid, or what is wrong with it.
 *
 * @example
 * readBoundedGrid('T2048,2048'); // { topology: 'torus', width: 2048, height: 2048 }
 */
export function readBoundedGrid(text: string): BoundedGrid | BoundedGridProblem {
  const match = SUFFIX.exec(text);
  const letter = (text[0] ?? '').toUpperCase();
  const name = NAMES[letter];
  if (name === undefined) {
    return {
      kind: 'syntax',
      problem: `unknown bounded grid ":${text}" (Golly's are :P plane, :T torus, :K Klein bottle, :C cross-surface, :S sphere)`,
      offset: 0,
    };
  }
  if (!match) {
    return {
      kind: 'syntax',
      problem: `expected a bounded grid like ":${letter}64,32" (width,height), got ":${text}"`,
      offset: 0,
    };
  }
  const [, , widthText, twistW, shiftW, heightText, twistH, shiftH] = match as unknown as [
    string,
    string,
    string,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
    string | undefined,
  ];
  const width = Number(widthText);
  const height = heightText === undefined ? width : Number(heightText);
  for (const [side, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (value > GOLLY_MAX_SIDE) {
      return {
        kind: 'syntax',
        problem: `bounded grid ${side} ${value} is larger than Golly allows (${GOLLY_MAX_SIDE})`,
        offset: 1,
      };
    }
  }
  if (letter !== 'P' && letter !== 'T') {
    return {
      kind: 'unsupported',
      problem: `Golly's ${name} grid (:${text}) is not supported; fanout runs :T (torus) and :P (plane) grids`,
      offset: 0,
    };
  }
  if ((twistW ?? '') !== '' || (twistH ?? '') !== '') {
    return {
      kind: 'syntax',
      problem: `a twisted edge (*) belongs to a Klein bottle (:K), not a ${name} (:${text})`,
      offset: text.indexOf('*'),
    };
  }
  if (shiftW !== undefined || shiftH !== undefined) {
    return {
      kind: 'unsupported',
      problem: `a ${name} with shifted edges (:${text}) is not supported; fanout runs unshifted grids`,
      offset: 0,
    };
  }
  if (width === 0 || height === 0) {
    return {
      kind: 'unsupported',
      problem: `a ${name} of infinite ${width === 0 ? 'width' : 'height'} (:${text}) is not supported; fanout runs finite grids`,
      offset: 0,
    };
  }
  return { topology: letter === 'T' ? 'torus' : 'plane', width, height };
}

/** Whether `readBoundedGrid` refused the suffix. */
export function isBoundedGridProblem(
  value: BoundedGrid | BoundedGridProblem,
): value is BoundedGridProblem {
  return 'problem' in value;
}

/**
 * Golly's suffix for a bounded grid, with its leading colon.
 *
 * @example
 * formatBoundedGrid({ topology: 'plane', width: 30, height: 20 }); // ':P30,20'
 */
export function formatBoundedGrid(grid: BoundedGrid): string {
  return `:${grid.topology === 'torus' ? 'T' : 'P'}${grid.width},${grid.height}`;
}

/**
 * Where Golly puts a pattern's box in a bounded grid, as an offset from the grid's top-left
 * cell: at `position` (its `#CXRLE Pos=`, in Golly's coordinates, where a grid's top-left
 * cell is `-floor(width / 2), -floor(height / 2)`); else centred the way Golly centres it
 * (the box's top-left at `-floor(w / 2), -floor(h / 2)`) when the box fits; else at the
 * grid's top-left corner.
 */
export function gollyOffset(
  box: {
    readonly width: number;
    readonly height: number;
    readonly position?: readonly [number, number] | undefined;
  },
  grid: { readonly width: number; readonly height: number },
): { x: number; y: number } {
  const left = Math.floor(grid.width / 2);
  const top = Math.floor(grid.height / 2);
  if (box.position !== undefined) return { x: box.position[0] + left, y: box.position[1] + top };
  const fits =
    box.width > 0 && box.width <= grid.width && box.height > 0 && box.height <= grid.height;
  return fits
    ? { x: left - Math.floor(box.width / 2), y: top - Math.floor(box.height / 2) }
    : { x: 0, y: 0 };
}

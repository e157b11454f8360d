/**
 * Strict parsers for flag values. Each throws commander's InvalidArgumentError, so the
 * message names the flag and the value: `option '--generations <n>' argument 'x' is invalid.`
 */
import { InvalidArgumentError } from 'commander';

const INTEGER = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Parses an integer `>= min` (and `<= max` when given), digits only. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const parsed = INTEGER.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      const range =
        max === Number.MAX_SAFE_INTEGER
          ? `an integer >= ${min}`
          : `an integer from ${min} to ${max}`;
      throw new InvalidArgumentError(`Expected ${range}.`);
    }
    return parsed;
  };
}

/** Parses a decimal number in `[min, max]`. */
export function decimal(min: number, max = Number.POSITIVE_INFINITY): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const parsed = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      const range =
        max === Number.POSITIVE_INFINITY ? `a number >= ${min}` : `a number from ${min} to ${max}`;
      throw new InvalidArgumentError(`Expected ${range}.`);
    }
    return parsed;
  };
}

/** A TCP port, 0 (any free port) to 65535. */
export const port = integer(0, 65535);

/** Grid size `HxW` (height by width), both at least 1. */
export interface Size {
  height: number;
  width: number;
}

/** Parses `HxW`, e.g. `5x9` (height 5, width 9). */
export function size(value: string): Size {
  const match = /^\s*(\d+)\s*[xX]\s*(\d+)\s*$/.exec(value);
  const height = match ? Number(match[1]) : Number.NaN;
  const width = match ? Number(match[2]) : Number.NaN;
  if (!(height >= 1 && width >= 1 && height <= 1_000_000 && width <= 1_000_000)) {
    throw new InvalidArgumentError('Expected HxW with positive integers, e.g. 64x64.');
  }
  return { height, width };
}

/** Parses a non-empty string (no parsing beyond trimming and rejecting empty). */
export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('Expected a non-empty value.');
  return value;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const DURATION_UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `500ms`, `30s`, `10m`, `2h`, `7d` or a bare number of seconds, in ms; NaN if malformed. */
function durationMs(value: string): number {
  const match = DURATION.exec(value.trim());
  return match ? Number(match[1]) * (DURATION_UNIT_MS[match[2] ?? 's'] ?? 1000) : Number.NaN;
}

/** Parses a duration in milliseconds: `10s`, `500ms`, `2m`, or a bare number of seconds. */
export function duration(value: string): number {
  const ms = durationMs(value);
  if (!(ms > 0) || !Number.isFinite(ms) || ms > 86_400_000) {
    throw new InvalidArgumentError(
      'Expected a duration such as 10s, 500ms or 2m (up to 24 hours).',
    );
  }
  return ms;
}

/** Parses an age in whole milliseconds, zero or more: `30s`, `10m`, `2h`, `7d`. */
export function age(value: string): number {
  const ms = durationMs(value);
  if (!(ms >= 0) || !Number.isFinite(ms)) {
    throw new InvalidArgumentError('Expected a duration such as 30s, 10m, 2h or 7d.');
  }
  return Math.round(ms);
}

const FACTOR = String.raw`\d[\d_]*(?:(?:\.\d+)?[eE]\+?\d+|\^\d+)?`;
const COUNT = new RegExp(`^${FACTOR}(?:\\s*\\*\\s*${FACTOR})*$`);

/**
 * A generation count of any size, kept as text for the grid package's `parseGenerations`
 * (`1000`, `1_000_000`, `1e12`, `2^40`, `3*2^20`); only its shape is checked here, so the
 * command tree loads nothing.
 */
export function generationCount(value: string): string {
  const trimmed = value.trim();
  if (!COUNT.test(trimmed)) {
    throw new InvalidArgumentError('Expected a whole number such as 1000, 1e12, 2^40 or 3*2^20.');
  }
  return trimmed;
}

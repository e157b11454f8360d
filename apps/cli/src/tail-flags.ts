/**
 * Value parsers of `fanout tail`'s flags (kept apart from the package so that parsing the
 * command line loads nothing of it).
 */
import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `500ms`, `30s`, `10m`, `2h`, `7d` (a bare number is seconds), in ms. */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) {
    throw new InvalidArgumentError('Expected a duration such as 30s, 10m, 2h or 7d.');
  }
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] as number));
}

/** A regular expression (JavaScript syntax). */
export function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (e) {
    throw new InvalidArgumentError(`Expected a regular expression: ${(e as Error).message}.`);
  }
}

/** Repeatable flag: collects every value. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

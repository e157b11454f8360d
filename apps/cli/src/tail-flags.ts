/**
 * Value parsers of `fanout tail`'s flags (kept apart from the package so that parsing the
 * command line loads nothing of it).
 */
import { InvalidArgumentError } from 'commander';

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

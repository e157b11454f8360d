import { STRATEGIES, type Strategy } from '@fanout/guess-protocol';
import { ConfigError } from '../errors.js';

/** Log levels accepted by `--log-level` / `LOG_LEVEL`. */
export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Every log level, most severe first. */
export const LOG_LEVELS: readonly LogLevelName[] = Object.freeze([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
]);

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };
const LONGEST_TIMER_MS = 2_147_483_647;

/** Reads one setting's text; `name` is the flag or variable it came from, for the message. */
export type ValueReader<T> = (name: string, raw: string) => T;

function fail(name: string, raw: string, expected: string): never {
  throw new ConfigError(`${name} must be ${expected}, got ${JSON.stringify(raw)}`, name, raw);
}

function readInteger(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A host name or IP address: anything non-empty without white space. */
export const readHost: ValueReader<string> = (name, raw) => {
  const value = raw.trim();
  if (value === '' || /\s/.test(value)) fail(name, raw, 'a host name or IP address');
  return value;
};

/** A TCP port, 0 to 65535 (0: the OS picks a free one). */
export const readPort: ValueReader<number> = (name, raw) => {
  const n = readInteger(raw.trim());
  if (n === undefined || n > 65_535) fail(name, raw, 'a port number from 0 to 65535');
  return n;
};

/** A whole number of at least 1. */
export const readPositive: ValueReader<number> = (name, raw) => {
  const n = readInteger(raw.trim());
  if (n === undefined || n < 1) fail(name, raw, 'a whole number >= 1');
  return n;
};

/** Milliseconds, or a number with `ms`, `s` or `m`: `500`, `500ms`, `30s`, `2m`. */
export const readDuration: ValueReader<number> = (name, raw) => {
  const match = /^(\d+)(ms|s|m)?$/.exec(raw.trim());
  if (match === null) fail(name, raw, 'a duration such as 500, 500ms, 30s or 2m');
  const [, digits, unit] = match;
  const ms = Number(digits) * (DURATION_UNITS[unit ?? 'ms'] ?? 1);
  if (!Number.isSafeInteger(ms) || ms > LONGEST_TIMER_MS) {
    fail(name, raw, 'a duration of at most 24 days');
  }
  return ms;
};

/** One of the package's strategies (`STRATEGIES`). */
export const readStrategy: ValueReader<Strategy> = (name, raw) => {
  const value = raw.trim();
  const found = STRATEGIES.find((strategy) => strategy === value);
  if (found === undefined) fail(name, raw, `one of ${STRATEGIES.join(', ')}`);
  return found;
};

/** A log level, in any case. */
export const readLogLevel: ValueReader<LogLevelName> = (name, raw) => {
  const value = raw.trim().toLowerCase();
  const found = LOG_LEVELS.find((level) => level === value);
  if (found === undefined) fail(name, raw, `one of ${LOG_LEVELS.join(', ')}`);
  return found;
};

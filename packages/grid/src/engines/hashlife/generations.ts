import { GenerationCountError } from '../../errors.js';

/**
 * Read a generation count exactly, however large: `1000`, `1_000_000`, `1e12`, `2^40`,
 * `10^100`, `3*2^20`, or a number / bigint.
 *
 * @example
 * parseGenerations('2^40'); // 1099511627776n
 * parseGenerations('1e12'); // 1000000000000n
 * @throws {GenerationCountError} naming the value and what is wrong with it.
 */
export function parseGenerations(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new GenerationCountError(String(value), 'it is negative');
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new GenerationCountError(
        String(value),
        Number.isInteger(value)
          ? 'a number past 2^53 is not exact; pass a bigint or a string like "2^60"'
          : 'it is not a whole number',
      );
    }
    if (value < 0) throw new GenerationCountError(String(value), 'it is negative');
    return BigInt(value);
  }
  const text = value.trim().replaceAll('_', '');
  if (text === '') throw new GenerationCountError(value, 'it is empty');
  let total = 1n;
  for (const factor of text.split('*')) total *= readFactor(value, factor.trim());
  return total;
}

const MAX_EXPONENT = 100_000n;

function readFactor(original: string, text: string): bigint {
  let match = /^(\d+)\^(\d+)$/.exec(text);
  if (match) {
    const exponent = BigInt(match[2]!);
    if (exponent > MAX_EXPONENT) {
      throw new GenerationCountError(original, `exponent ${exponent} is too large`);
    }
    return BigInt(match[1]!) ** exponent;
  }
  match = /^(\d+)(?:\.(\d+))?[eE]\+?(\d+)$/.exec(text);
  if (match) {
    const fraction = match[2] ?? '';
    const exponent = BigInt(match[3]!) - BigInt(fraction.length);
    if (exponent > MAX_EXPONENT) {
      throw new GenerationCountError(original, `exponent ${match[3]} is too large`);
    }
    const digits = BigInt(match[1]! + fraction);
    if (exponent < 0n) {
      const divisor = 10n ** -exponent;
      if (digits % divisor !== 0n) {
        throw new GenerationCountError(original, 'it is not a whole number');
      }
      return digits / divisor;
    }
    return digits * 10n ** exponent;
  }
  if (/^\d+$/.test(text)) return BigInt(text);
  if (/^-/.test(text)) throw new GenerationCountError(original, 'it is negative');
  throw new GenerationCountError(
    original,
    'expected a whole number such as 1000, 1e12, 2^40 or 3*2^20',
  );
}

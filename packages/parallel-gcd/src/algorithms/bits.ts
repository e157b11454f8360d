/** Sizes of integers, shared by the algorithms, the scheduler and error messages. */

/** Bit length of a non-negative bigint (0 for 0): hex digits are cheap to count. */
export function bitLength(v: bigint): number {
  if (v === 0n) return 0;
  const hex = v.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0]!, 16)));
}

/** Bit length of a non-negative integer below 2^53. */
export function bitLength53(v: number): number {
  return v >= 2 ** 32 ? 32 + bitLength53(Math.floor(v / 2 ** 32)) : 32 - Math.clz32(v);
}

/** Decimal digits of |v| (1 for 0), without printing the whole number. */
export function decimalDigits(v: number | bigint): number {
  const x = typeof v === 'bigint' ? (v < 0n ? -v : v) : BigInt(Math.abs(Math.trunc(v)));
  if (x < 10n ** 15n) return String(x).length;
  // x lies in [2^(bits-1), 2^bits), so it has the digits of 2^(bits-1) or one more; the
  // estimate may also be one too many if rounding fooled the floor. One power of ten
  // tells which (a few milliseconds even for a million digits).
  const bits = bitLength(x);
  const estimate = Math.floor((bits - 1) * Math.log10(2)) + 1;
  const power = 10n ** BigInt(estimate - 1);
  if (x < power) return estimate - 1;
  return x >= power * 10n ? estimate + 1 : estimate;
}

/** Longest value error messages print in full; longer ones are named by their size. */
const SHOWN_DIGITS = 40;

/**
 * An integer as a message shows it: in full up to 40 digits, else by its size
 * (`a 450000-digit integer`), so an error line never echoes megabytes of digits.
 *
 * @example
 * describeInteger(12n); // "12"
 * describeInteger(10n ** 450_000n); // "a 450001-digit integer"
 */
export function describeInteger(v: number | bigint): string {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) return String(v);
  const digits = decimalDigits(v);
  if (digits <= SHOWN_DIGITS) return String(v);
  return `a ${v < 0 ? 'negative ' : ''}${digits}-digit integer`;
}

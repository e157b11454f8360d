/**
 * Writing results: human text or exactly one JSON object on stdout, and the small number
 * formats the commands share.
 */

/** Writes text to stdout and resolves once it has been handed to the OS. */
export function writeOut(text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Writes the one JSON object of a `--json` run, followed by a newline. */
export function writeJson(value: object): Promise<void> {
  return writeOut(`${JSON.stringify(value, jsonReplacer)}\n`);
}

/** BigInts become numbers when exact, strings past 2^53 (as CLI.md asks). */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  return value;
}

/** Rounds seconds to milliseconds for JSON (keeps the field a plain number). */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** Rounds a rate to a readable precision for JSON. */
export function roundRate(rate: number): number {
  if (!Number.isFinite(rate)) return 0;
  return Math.round(rate * 100) / 100;
}

/** Rounds a ratio (a speedup) to three decimals for JSON. */
export function roundRatio(ratio: number): number {
  return Math.round(ratio * 1000) / 1000;
}

/** `1234567.8` → `1,234,568` for human output. */
export function formatCount(value: number): string {
  const n = Math.round(value);
  // Grouped by hand: the first toLocaleString call loads ICU's number formatting, about
  // 15 ms of every `fanout tail` run (measured with --cpu-prof).
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const grouped = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 || Object.is(n, -0) ? `-${grouped}` : grouped;
}

/** Seconds with three decimals, as in the seed's `Took 1.173 seconds`. */
export function formatSeconds(seconds: number): string {
  return seconds.toFixed(3);
}

/** Lays out rows of cells as left-aligned columns separated by two spaces. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  '),
    )
    .join('\n')
    .concat('\n');
}

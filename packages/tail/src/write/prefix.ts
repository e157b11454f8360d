import type { LinePart } from '../read/splitter.js';

const NEWLINE = 10;

/** Copies each line of `part` with `prefix` before it, into one owned buffer. */
export function prefixLines(part: LinePart, prefix: Buffer): Buffer {
  const { data } = part;
  const out = Buffer.allocUnsafeSlow(data.length + part.lines * prefix.length);
  let from = 0;
  let to = 0;
  while (from < data.length) {
    const nl = data.indexOf(NEWLINE, from);
    to += prefix.copy(out, to);
    to += data.copy(out, to, from, nl + 1);
    from = nl + 1;
  }
  return out;
}

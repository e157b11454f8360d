import { ownedConcat } from '../read/buffers.js';
import type { LinePart } from '../read/splitter.js';

const NEWLINE = 10;

/** Copies each line of `part` with `prefix` before it, into one owned buffer. */
export function prefixLines(part: LinePart, prefix: Buffer): Buffer {
  const { data } = part;
  // Owned memory: a file sink transfers it to the writer thread (pooled buffers cannot move).
  if (part.record) return ownedConcat([prefix, data]);
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

/**
 * One JSON object per record, `{"file","offset","line"}`: a multi-line record is one object
 * (its lines joined by `\n`), otherwise each line is. Bytes that are not UTF-8 become U+FFFD.
 */
export function jsonRecords(part: LinePart, file: string): Buffer {
  const { data } = part;
  const head = `{"file":${JSON.stringify(file)},"offset":`;
  const object = (offset: number, from: number, to: number) =>
    `${head}${offset},"line":${JSON.stringify(data.toString('utf8', from, to))}}\n`;
  if (part.record || part.addedNewline) {
    return owned(object(part.offset, 0, data.length - 1));
  }
  let text = '';
  let from = 0;
  while (from < data.length) {
    const nl = data.indexOf(NEWLINE, from);
    text += object(part.offset + from, from, nl);
    from = nl + 1;
  }
  return owned(text);
}

/** `text` as UTF-8 in its own memory (never Node's shared pool), so it can be transferred. */
function owned(text: string): Buffer {
  const out = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  out.write(text);
  return out;
}

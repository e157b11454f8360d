const NEWLINE = 10;

/** A copy of `src[start, end)` (+ a newline) in its own ArrayBuffer, so it can be transferred to a worker. */
export function ownedCopy(src: Buffer, start: number, end: number, addNewline = false): Buffer {
  const len = end - start + (addNewline ? 1 : 0);
  const out = Buffer.allocUnsafeSlow(len);
  src.copy(out, 0, start, end);
  if (addNewline) out[len - 1] = NEWLINE;
  return out;
}

/** Concatenation of `parts` (+ a newline) in its own ArrayBuffer. */
export function ownedConcat(parts: readonly Buffer[], addNewline = false): Buffer {
  let len = addNewline ? 1 : 0;
  for (const p of parts) len += p.length;
  const out = Buffer.allocUnsafeSlow(len);
  let at = 0;
  for (const p of parts) at += p.copy(out, at);
  if (addNewline) out[len - 1] = NEWLINE;
  return out;
}

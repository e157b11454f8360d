import { createReadStream } from 'node:fs';
import { PairsSourceError, PairsSyntaxError } from '../errors.js';
import type { GcdPair } from '../types.js';
import { parsePairLine } from './pairs.js';
import type { PairStream } from './source.js';

/** Options of `readPairs` and `readPairsFile`. */
export interface ReadPairsOptions {
  /** Named in error messages: a file name, or `-` for stdin. Default `<input>`. */
  readonly source?: string;
  /**
   * Longest line accepted, in characters (line break excluded): a longer one is a
   * `PairsSyntaxError`, so a file without line breaks cannot fill the memory. Default
   * 4,194,304 (two integers of two million digits each); `Infinity` lifts the limit.
   */
  readonly maxLineLength?: number;
}

/** Default `maxLineLength`: 4 Mi characters. */
export const DEFAULT_MAX_LINE_LENGTH = 4 * 1024 * 1024;

const CARRIAGE_RETURN = 13;

/**
 * Reads pairs from a stream of text or bytes (UTF-8), in the format of `parsePairs`, as
 * it arrives: one batch of pairs per piece read, so a file of any length is read in
 * bounded memory (the piece being read and at most one unfinished line, up to
 * `maxLineLength`). Breaking off the iteration (or an error) stops reading the input;
 * a Node stream is then destroyed.
 *
 * @throws PairsSyntaxError on the first bad or too long line (line numbers count every line).
 * @throws PairsSourceError if the input itself fails (a directory, a read error).
 * @example
 * for await (const batch of readPairs(process.stdin, { source: '-' })) {
 *   for (const [a, b] of batch) console.log(gcdEuclid(a, b));
 * }
 */
export async function* readPairs(
  input: AsyncIterable<string | Uint8Array>,
  options: ReadPairsOptions = {},
): AsyncGenerator<GcdPair[], void, undefined> {
  const source = options.source ?? '<input>';
  const maxLineLength = validMaxLineLength(options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  const decoder = new TextDecoder('utf-8');
  // The unfinished line so far, in pieces (joined once, when its line break arrives).
  let pending: string[] = [];
  let pendingLength = 0;
  let line = 0;
  const tooLong = (start: string): never => {
    throw new PairsSyntaxError({
      line: line + 1,
      column: maxLineLength + 1,
      content: start.slice(0, maxLineLength),
      source,
      problem: `a line longer than ${maxLineLength} characters`,
    });
  };
  const parseText = (text: string, batch: GcdPair[]): void => {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      let content = text.slice(start, end);
      if (pending.length > 0) {
        content = pending.join('') + content;
        pending = [];
        pendingLength = 0;
      }
      if (content.charCodeAt(content.length - 1) === CARRIAGE_RETURN)
        content = content.slice(0, -1);
      if (content.length > maxLineLength) tooLong(content);
      line++;
      const pair = parsePairLine(content, line, source);
      if (pair !== undefined) batch.push(pair);
      start = end + 1;
    }
    if (start < text.length) {
      pending.push(text.slice(start));
      pendingLength += text.length - start;
      // One more character may be the \r of a \r\n split across two pieces.
      if (pendingLength > maxLineLength + 1) tooLong(pending.join(''));
    }
  };

  for await (const piece of sourceErrorsNamed(input, source)) {
    const batch: GcdPair[] = [];
    parseText(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }), batch);
    if (batch.length > 0) yield batch;
  }
  const batch: GcdPair[] = [];
  // The decoder's last bytes, then a last line without a line break.
  parseText(`${decoder.decode()}\n`, batch);
  if (batch.length > 0) yield batch;
}

/**
 * Reads the pairs of a file as a stream (see `readPairs`). The file is opened when the
 * iteration starts, and again for each new iteration, so one `readPairsFile` can be run
 * through several times (`runAll`'s modes one after another). A missing file, a directory
 * or a read error is a `PairsSourceError` naming the path, with the system code.
 *
 * @example
 * const report = await runAll(() => readPairsFile('pairs.txt'), { algorithm: 'euclid' });
 */
export function readPairsFile(path: string, options: ReadPairsOptions = {}): PairStream {
  return {
    [Symbol.asyncIterator]: () =>
      readPairs(createReadStream(path), { source: path, ...options })[Symbol.asyncIterator](),
  };
}

/** The pieces of `input`; an error of the input itself becomes a `PairsSourceError`. */
async function* sourceErrorsNamed<T>(input: AsyncIterable<T>, source: string): AsyncGenerator<T> {
  const iterator = input[Symbol.asyncIterator]();
  let ended = false;
  try {
    for (;;) {
      let step: IteratorResult<T>;
      try {
        step = await iterator.next();
      } catch (error) {
        ended = true;
        throw new PairsSourceError(source, error);
      }
      if (step.done === true) {
        ended = true;
        return;
      }
      yield step.value;
    }
  } finally {
    // Stops (and for a Node stream, destroys) the input when reading ends early.
    if (!ended) await iterator.return?.();
  }
}

function validMaxLineLength(value: number): number {
  if (!(value >= 1) || (!Number.isSafeInteger(value) && value !== Number.POSITIVE_INFINITY)) {
    throw new RangeError(`maxLineLength must be a positive integer or Infinity, got ${value}`);
  }
  return value;
}

import { closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { OutputWriteError } from '../errors.js';

/** How an output is opened: emptied, kept and appended to, or cut back to a length. */
export type OpenMode = 'truncate' | 'append' | 'cut';

/** An open output: its descriptor and the length it has now (where writing continues). */
export interface OpenOutput {
  fd: number;
  length: number;
}

/**
 * Opens the output on the caller's thread, so that an open error rejects at once with the
 * path, and writing can start before the writer thread is up. `cut` refuses a file shorter
 * than `truncateTo` (a checkpoint that does not match) before changing anything.
 */
export function openOutput(path: string, mode: OpenMode, truncateTo: number): OpenOutput {
  let fd = -1;
  try {
    if (mode === 'truncate') return { fd: openSync(path, 'w'), length: 0 };
    fd = openSync(path, mode === 'append' ? 'a' : 'a+');
    const size = fstatSync(fd).size;
    if (mode === 'append') return { fd, length: size };
    if (size < truncateTo) {
      throw Object.assign(
        new Error(`output is ${size} bytes, shorter than the checkpointed ${truncateTo}`),
        { code: 'ESHORT' },
      );
    }
    ftruncateSync(fd, truncateTo);
    return { fd, length: truncateTo };
  } catch (e) {
    if (fd >= 0) {
      try {
        closeSync(fd);
      } catch {}
    }
    throw new OutputWriteError(path, 'open', e);
  }
}

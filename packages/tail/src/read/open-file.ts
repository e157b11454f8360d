import { constants, type BigIntStats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** What a path is when it is not a regular file, for the error message. */
function kindOf(st: BigIntStats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function codeOf(e: unknown): unknown {
  return e !== null && typeof e === 'object' && 'code' in e ? e.code : undefined;
}

/** An open regular file with its stats. */
export interface OpenFile {
  fh: FileHandle;
  stats: BigIntStats;
}

/**
 * Opens `path` for reading without ever blocking: `O_NONBLOCK`, so a FIFO with no writer
 * cannot hang the open (and with it SIGTERM); anything but a regular file is refused with an
 * `InputError` naming what it is. Resolves null when the path does not exist.
 *
 * `label` is the input as the caller named it (the path in the error).
 */
export async function openRegular(path: string, label = path): Promise<OpenFile | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return null;
    throw new InputError(label, 'open', e);
  }
  try {
    const stats = await fh.stat({ bigint: true });
    if (!stats.isFile()) {
      const code = stats.isDirectory() ? 'EISDIR' : undefined;
      const why = Object.assign(new Error(`is ${kindOf(stats)}; only regular files are read`), {
        code,
      });
      throw new InputError(label, 'read', why);
    }
    return { fh, stats };
  } catch (e) {
    await fh.close().catch(() => {});
    throw e instanceof InputError ? e : new InputError(label, 'open', e);
  }
}

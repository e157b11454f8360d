/**
 * Errors a caller of `@fanout/tail` can act on. Each has a stable `code`, on the instance and
 * on the class (`error.code === InputError.code`); the system error behind it, if any, is
 * `cause` (and its code `systemCode`).
 */

/** Node's system error shape (`code`, `syscall`), when the cause carries one. */
function codeOf(cause: unknown): string | undefined {
  if (cause !== null && typeof cause === 'object' && 'code' in cause) {
    const code = (cause as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * An input file could not be opened or read (missing without `follow`, a directory,
 * permission denied, an I/O error). `path` names the input as given; `systemCode` is the
 * system error code when there is one (`ENOENT`, `EISDIR`, `EACCES`…).
 *
 * @example
 * try { for await (const l of followFile('app.log')) {} }
 * catch (e) { if (e instanceof InputError && e.systemCode === 'ENOENT') console.error('no such file', e.path); }
 */
export class InputError extends Error {
  static readonly code = 'FANOUT_INPUT';
  readonly code = InputError.code;
  override readonly name = 'InputError';
  /** The input path as given by the caller. */
  readonly path: string;
  /** System error code of the cause, if any. */
  readonly systemCode: string | undefined;
  constructor(path: string, action: string, cause: unknown) {
    super(`cannot ${action} input ${path}: ${describe(cause)}`, { cause });
    this.path = path;
    this.systemCode = codeOf(cause);
  }
}

/**
 * Writing, flushing or syncing the output failed (ENOSPC, EACCES, EISDIR, EBADF…), or the
 * writer was used after `close()`. `path` names the output file; `systemCode` is the system
 * error code when there is one.
 *
 * @example
 * await writer.write(lines).catch((e) => { if (e instanceof OutputWriteError) console.error(e.path, e.systemCode); });
 */
export class OutputWriteError extends Error {
  static readonly code = 'FANOUT_OUTPUT_WRITE';
  readonly code = OutputWriteError.code;
  override readonly name = 'OutputWriteError';
  /** The output path (or a description of the stream). */
  readonly path: string;
  /** System error code of the cause, if any. */
  readonly systemCode: string | undefined;
  constructor(path: string, action: string, cause: unknown, systemCode?: string) {
    super(`cannot ${action} output ${path}: ${describe(cause)}`, { cause });
    this.path = path;
    this.systemCode = systemCode ?? codeOf(cause);
  }
}

/**
 * The checkpoint file is unreadable, malformed, or does not match the output (e.g. the
 * output is shorter than the recorded length, or a stream output cannot be truncated).
 *
 * @example
 * await mergeFiles(inputs, 'out.log', { checkpoint: 'out.ckpt' }).catch((e) => {
 *   if (e instanceof CheckpointError) console.error('bad checkpoint', e.path);
 * });
 */
export class CheckpointError extends Error {
  static readonly code = 'FANOUT_CHECKPOINT';
  readonly code = CheckpointError.code;
  override readonly name = 'CheckpointError';
  /** The checkpoint path. */
  readonly path: string;
  constructor(path: string, problem: string, cause?: unknown) {
    super(`checkpoint ${path}: ${problem}${cause === undefined ? '' : `: ${describe(cause)}`}`, {
      cause,
    });
    this.path = path;
  }
}

import type { MultilineOptions } from './read/records.js';

/**
 * What makes a file the same file across restarts: device and inode (as decimal strings, so
 * 64-bit values survive JSON) plus a fingerprint of its first bytes, so that a rotated file
 * and a new file that reuses the inode are told apart.
 */
export interface FileIdentity {
  /** Device id (`stat.dev`) as a decimal string. */
  dev: string;
  /** Inode number (`stat.ino`) as a decimal string. */
  ino: string;
  /** Hex digest of the first `fingerprintBytes` bytes of the file. */
  fingerprint: string;
  /** How many leading bytes the fingerprint covers (at most 256). */
  fingerprintBytes: number;
  /** Birth time in ns as a decimal string, where the filesystem records one (tells a reused inode apart). */
  born?: string;
}

/** Where one generation (one file that is or was at an input's path) was left. */
export interface GenerationPosition {
  identity: FileIdentity;
  /** Offset after the last line handed on. */
  offset: number;
  /** Digest of the bytes just before `offset` (up to 256, `tailBytes` of them), checked on resume. */
  tail?: string;
  tailBytes?: number;
  /** The file's size when last seen (what a loss report counts from). */
  size?: number;
  /** Where it was last seen. */
  path?: string;
  /**
   * Its first bytes (the fingerprint's input, base64): a copy shorter than them (made before
   * the last lines read were written) is still recognised after a restart.
   */
  head?: string;
}

/**
 * Everything a follower must know to resume after a restart: each generation not yet read
 * to its end, oldest first, and the files it has finished (or that were there before it
 * started), so that a rotated file is never read twice nor skipped.
 */
export interface FollowState {
  generations: GenerationPosition[];
  done: FileIdentity[];
}

/**
 * Where a follower starts reading: at the start, at the current end, where one file was left
 * (`{ offset, identity }`), or a whole `FollowState` (what checkpoints hold).
 */
export type StartPosition =
  | 'start'
  | 'end'
  | { offset: number; identity: FileIdentity }
  | FollowState;

/** What to do with rotated `.gz` generations: leave them, or read their decompressed content. */
export type CompressedPolicy = 'skip' | 'read';

/** What to do with a line longer than `maxLineBytes`: cut it into pieces, or drop it. */
export type LongLinePolicy = 'split' | 'skip';

/** Something that happened to an input while following it. */
export type TailEvent =
  /** The input does not exist (yet); with `follow` it is waited for. */
  | { type: 'missing'; path: string }
  /** The input (re)appeared after being missing, deleted or renamed away. */
  | { type: 'recreated'; path: string; identity: FileIdentity }
  /** The file was deleted (its last link removed); its data was read to its end. */
  | { type: 'deleted'; path: string }
  /** The name now points to another file (or the file was renamed away): the old one was read to its end. */
  | { type: 'rotated'; path: string; previous: FileIdentity | undefined }
  /**
   * The file was truncated (it shrank below the read position, or its bytes before the read
   * position changed: copytruncate, refilled): reading restarts at 0. `copy` names the
   * rotated copy the lines after `offset` were taken from, if one was found; `lostBytes` is
   * what is known to be gone (0 when nothing is known lost; a lower bound otherwise).
   */
  | {
      type: 'truncated';
      path: string;
      offset: number;
      size: number;
      copy?: string;
      lostBytes: number;
    }
  /**
   * A generation vanished before it was read to its end (deleted, or moved where it is not
   * looked for): `unreadBytes` of it (as last seen) could not be read.
   */
  | { type: 'vanished'; path: string; identity: FileIdentity; unreadBytes: number }
  /**
   * A `.gz` generation (with `compressed: 'read'`) is corrupt or truncated: only its first
   * `readableBytes` decompressed bytes can be read (whole lines of them are, when it is a
   * generation to read); `reason` is zlib's message.
   */
  | { type: 'corrupt'; path: string; readableBytes: number; reason: string }
  /** A line longer than `maxLineBytes` was split into pieces or skipped (`bytes`: its length seen when the limit was passed). */
  | {
      type: 'long-line';
      path: string;
      offset: number;
      bytes: number;
      action: LongLinePolicy;
    }
  /** The input failed (unreadable, missing without `follow`): the merge continues without it. */
  | { type: 'error'; path: string; error: Error }
  /** Merge only: the checkpoint did not match and `startOver` was given, so the merge started afresh. */
  | { type: 'start-over'; path: string; reason: string };

/** One line read from a followed file. */
export interface FollowedLine {
  /** The line's bytes, without the newline. */
  line: Buffer;
  /** Byte offset of the line's first byte in the file it was read from. */
  offset: number;
  /** Offset just after the line (after its newline when it had one): where to resume. */
  nextOffset: number;
  /** The followed path, as given. */
  path: string;
  /** The file the line was read from (changes after rotation). */
  identity: FileIdentity;
  /** False for a last line flushed without its newline, or for a piece of a split long line. */
  terminated: boolean;
}

/** Options of `followFile`. */
export interface FollowOptions {
  /** Where to start (default `'start'`). A resume position whose identity no longer matches starts the current file at 0. */
  from?: StartPosition;
  /** Keep following after EOF until `signal` aborts (default false: end at EOF). */
  follow?: boolean;
  /** Stat-polling interval in ms when no `fs.watch` event arrives (default 100). */
  intervalMs?: number;
  /** Stops following; the iterator then ends normally. */
  signal?: AbortSignal;
  /** Longest line kept whole, in bytes without the newline (default 1 MiB). */
  maxLineBytes?: number;
  /** What to do with longer lines (default `'split'`). */
  longLines?: LongLinePolicy;
  /** Receives rotation, truncation, deletion, long-line and missing-file events. */
  onEvent?: (event: TailEvent) => void;
  /** Bytes read per system call (default 1 MiB). */
  chunkBytes?: number;
  /**
   * Where rotated generations are looked for beside the file, as name globs in which `{name}`
   * is the file's name (default `['{name}.*', '{name}-*']`: `app.log.1`, `app.log.2.gz`,
   * `app.log-20261201`). `[]` follows the path alone.
   */
  rotated?: readonly string[];
  /**
   * Rotated `.gz` generations (logrotate's `compress` / `delaycompress`): `'skip'` (default)
   * leaves them; `'read'` reads their decompressed content like any generation — one we were
   * reading that got compressed is found again by its decompressed start and read on from
   * our offset, one compressed before we read any of it is read whole, in rotation order.
   */
  compressed?: CompressedPolicy;
  /** Group lines into multi-line records (a line matching `start` begins one). */
  multiline?: MultilineOptions;
  /** How often a followed file is looked at when its directory's watch gives no events (default: every `intervalMs` without a watch, every 10 s with one). */
  safetyIntervalMs?: number;
}

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
}

/** Where a follower starts reading: at the start, at the current end, or where it left off. */
export type StartPosition = 'start' | 'end' | { offset: number; identity: FileIdentity };

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
  /** The file shrank below the read position: reading restarts at 0. */
  | { type: 'truncated'; path: string; offset: number; size: number }
  /** A line longer than `maxLineBytes` was split into pieces or skipped (`bytes`: its length seen when the limit was passed). */
  | {
      type: 'long-line';
      path: string;
      offset: number;
      bytes: number;
      action: LongLinePolicy;
    }
  /** The input failed (unreadable, missing without `follow`): the merge continues without it. */
  | { type: 'error'; path: string; error: Error };

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
}

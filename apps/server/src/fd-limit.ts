import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Logger } from './logger.js';

/**
 * Open files the service keeps for itself beyond what it counts at start: listening
 * sockets, a connection being answered `server-busy`, viewer files being read, cluster IPC,
 * log and DNS descriptors. Generous on purpose: running out costs far more than a few
 * unused slots.
 */
export const SPARE_FILES = 64;

/** The connection limit used when the open-file limit cannot be read. */
export const FALLBACK_MAX_CONNECTIONS = 10_000;

/**
 * This process's open-file limit (the soft `RLIMIT_NOFILE`, which Node raises to the hard
 * limit at start-up), or undefined when it cannot be read. Linux: `/proc/self/limits`;
 * elsewhere the shell's `ulimit -n`.
 */
export function readOpenFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (match !== null) return match[1] === 'unlimited' ? undefined : Number(match[1]);
  } catch {
    // Not Linux: ask a shell, which inherits our limit.
  }
  const shell = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2_000 });
  const value = Number(shell.stdout?.trim());
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Descriptors this process has open now (Linux: `/proc/self/fd`), without blocking the loop. */
export async function countOpenFiles(): Promise<number | undefined> {
  try {
    // One entry is the directory handle readdir itself holds while listing.
    return (await readdir('/proc/self/fd')).length - 1;
  } catch {
    return undefined;
  }
}

/** The same, synchronously: for start-up, before anything is busy. */
export function countOpenFilesNow(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

/** True when the process can open one more file right now (EMFILE/ENFILE: false). */
export function canOpenAnotherFile(): boolean {
  try {
    closeSync(openSync('/dev/null', 'r'));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EMFILE' || code === 'ENFILE') return false;
    return true;
  }
}

/** How many connections a process may hold, and why. */
export interface ConnectionBudget {
  /** The guess connection limit to use. */
  readonly maxConnections: number;
  /** The operations port's connection limit. */
  readonly maxHttpConnections: number;
  /** The open-file limit, when known. */
  readonly openFileLimit: number | undefined;
  /** Descriptors kept back for the service itself (open at start, HTTP, spare). */
  readonly reserved: number;
  /** The limit the operator asked for, if any. */
  readonly requested: number | undefined;
  /** False when `requested` does not fit under the open-file limit (`maxConnections` is then lower). */
  readonly honoured: boolean;
}

/** Options of `connectionBudget`. */
export interface ConnectionBudgetOptions {
  /** `--max-connections`, when given. */
  readonly requested: number | undefined;
  /** The open-file limit (`readOpenFileLimit()`); undefined when unknown. */
  readonly openFileLimit: number | undefined;
  /** Descriptors open at start (`countOpenFilesNow()`); undefined when unknown. */
  readonly openNow: number | undefined;
  /** Whether this process serves the operations port (cluster workers do not). */
  readonly servesHttp: boolean;
}

/**
 * The operations port's usual connection limit: scrapers, probes, viewers, and room enough
 * that a few hundred idle or hostile connections do not even force evictions.
 */
export const MAX_HTTP_CONNECTIONS = 1024;

/**
 * Splits the open-file limit between guess connections and the service's own files, so
 * that the OS never refuses a connection (Node since 20 drops such a connection without
 * telling anyone) and `/healthz` and `/metrics` stay reachable at the guess limit:
 * guess connections get what remains after the files open at start, the operations port's
 * connections and a spare of 64.
 */
export function connectionBudget(options: ConnectionBudgetOptions): ConnectionBudget {
  const { requested, openFileLimit } = options;
  if (openFileLimit === undefined) {
    return {
      maxConnections: requested ?? FALLBACK_MAX_CONNECTIONS,
      maxHttpConnections: MAX_HTTP_CONNECTIONS,
      openFileLimit,
      reserved: 0,
      requested,
      honoured: true,
    };
  }
  const maxHttpConnections = options.servesHttp
    ? Math.min(MAX_HTTP_CONNECTIONS, Math.max(16, Math.floor(openFileLimit / 16)))
    : 0;
  const reserved = (options.openNow ?? 32) + maxHttpConnections + SPARE_FILES;
  const room = Math.max(1, openFileLimit - reserved);
  return {
    maxConnections: requested === undefined ? room : Math.min(requested, room),
    maxHttpConnections: Math.max(maxHttpConnections, 1),
    openFileLimit,
    reserved,
    requested,
    honoured: requested === undefined || requested <= room,
  };
}

/** `connectionBudget` for this process now: its open-file limit and the files it has open. */
export function currentConnectionBudget(
  requested: number | undefined,
  servesHttp: boolean,
): ConnectionBudget {
  return connectionBudget({
    requested,
    openFileLimit: readOpenFileLimit(),
    openNow: countOpenFilesNow(),
    servesHttp,
  });
}

/** Logs the limit in force, with a warning when `--max-connections` could not be honoured. */
export function logConnectionBudget(budget: ConnectionBudget, logger: Logger): void {
  const fields = {
    maxConnections: budget.maxConnections,
    openFileLimit: budget.openFileLimit ?? null,
    reservedFiles: budget.reserved,
    maxHttpConnections: budget.maxHttpConnections,
  };
  if (budget.honoured) {
    logger.info(fields, 'connection limit');
    return;
  }
  logger.warn(
    { ...fields, requested: budget.requested },
    `--max-connections ${budget.requested} cannot be honoured: the open-file limit is ${budget.openFileLimit} and the service keeps ${budget.reserved} for itself, so at most ${budget.maxConnections} guess connections are accepted (raise ulimit -n to allow more)`,
  );
}

import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CheckpointError } from '../errors.js';
import { headMatches } from '../read/identity.js';
import type { FileIdentity, FollowState, GenerationPosition } from '../types.js';

/** Where one input was in a version 1 checkpoint: its one current file. */
export interface InputPosition {
  identity: FileIdentity;
  offset: number;
}

/** What a checkpoint file holds. */
export interface CheckpointState {
  version: 2;
  /** Absolute output path. */
  output: string;
  /** Output length that was durable when the checkpoint was written. */
  outputLength: number;
  /** Keyed by input path as given (or as matched, for a glob). Version 1 entries are `InputPosition`s. */
  inputs: Record<string, FollowState | InputPosition>;
}

const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function isIdentity(x: unknown): x is FileIdentity {
  const i = x as FileIdentity;
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof i.dev === 'string' &&
    /^\d+$/.test(i.dev) &&
    typeof i.ino === 'string' &&
    /^\d+$/.test(i.ino) &&
    typeof i.fingerprint === 'string' &&
    isCount(i.fingerprintBytes) &&
    i.fingerprintBytes <= 256 &&
    (i.born === undefined || (typeof i.born === 'string' && /^\d+$/.test(i.born)))
  );
}

/** What is wrong with one generation entry, or undefined. */
function generationProblem(g: GenerationPosition): string | undefined {
  if (!isIdentity(g?.identity)) return 'a bad identity (dev, ino, fingerprint)';
  if (!isCount(g.offset)) return `offset ${JSON.stringify(g.offset)} is not a byte count`;
  if (g.tail !== undefined && typeof g.tail !== 'string') return 'a bad tail digest';
  if (
    g.tailBytes !== undefined &&
    !(isCount(g.tailBytes) && g.tailBytes <= Math.min(256, g.offset))
  ) {
    return `tailBytes ${JSON.stringify(g.tailBytes)} does not fit offset ${g.offset}`;
  }
  if (g.size !== undefined && !isCount(g.size))
    return `size ${JSON.stringify(g.size)} is not a byte count`;
  if (g.path !== undefined && typeof g.path !== 'string') return 'a bad path';
  if (g.head !== undefined) {
    const head = typeof g.head === 'string' ? Buffer.from(g.head, 'base64') : undefined;
    if (!head || head.length !== g.identity.fingerprintBytes || !headMatches(head, g.identity)) {
      return 'a head that does not match its fingerprint';
    }
  }
  return undefined;
}

function inputProblem(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== 'object') return 'not an object';
  const e = entry as Partial<FollowState & InputPosition>;
  if (Array.isArray(e.generations)) {
    for (const g of e.generations) {
      const problem = generationProblem(g);
      if (problem) return problem;
    }
    if (!Array.isArray(e.done) || !e.done.every(isIdentity)) return 'a bad list of finished files';
    return undefined;
  }
  return generationProblem(e as GenerationPosition);
}

/**
 * Reads and validates a checkpoint; undefined when the file does not exist. Anything that
 * cannot be a checkpoint we wrote (negative or fractional lengths and offsets, identities
 * that are not numbers) is a `CheckpointError` naming the path and the field.
 */
export async function loadCheckpoint(path: string): Promise<CheckpointState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(path, 'cannot read it', e);
  }
  let data: Omit<CheckpointState, 'version'> & { version: unknown };
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(path, 'not valid JSON', e);
  }
  if (
    data === null ||
    typeof data !== 'object' ||
    (data.version !== 1 && data.version !== 2) ||
    typeof data.output !== 'string' ||
    typeof data.inputs !== 'object' ||
    data.inputs === null
  ) {
    throw new CheckpointError(path, 'not a fanout tail checkpoint (version 1 or 2)');
  }
  if (!isCount(data.outputLength)) {
    throw new CheckpointError(
      path,
      `outputLength ${JSON.stringify(data.outputLength)} is not a byte count`,
    );
  }
  for (const [name, entry] of Object.entries(data.inputs)) {
    const problem = inputProblem(entry);
    if (problem) throw new CheckpointError(path, `input ${name}: ${problem}`);
  }
  return { ...data, version: 2 };
}

/**
 * Writes a checkpoint atomically: a temporary file beside it is written and fsynced, renamed
 * over the old one, and the directory fsynced so the rename itself survives a crash.
 */
export async function saveCheckpoint(path: string, state: CheckpointState): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(`${JSON.stringify(state)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw new CheckpointError(path, 'cannot write it', e);
  }
}

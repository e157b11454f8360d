import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CheckpointError } from '../errors.js';
import type { FileIdentity } from '../types.js';

/** Where one input was when the checkpoint was taken. */
export interface InputPosition {
  identity: FileIdentity;
  offset: number;
}

/** What a checkpoint file holds. */
export interface CheckpointState {
  version: 1;
  /** Absolute output path. */
  output: string;
  /** Output length that was durable when the checkpoint was written. */
  outputLength: number;
  /** Keyed by input path as given. */
  inputs: Record<string, InputPosition>;
}

function isIdentity(x: unknown): x is FileIdentity {
  const i = x as FileIdentity;
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof i.dev === 'string' &&
    typeof i.ino === 'string' &&
    typeof i.fingerprint === 'string' &&
    Number.isInteger(i.fingerprintBytes)
  );
}

/** Reads a checkpoint; undefined when the file does not exist. */
export async function loadCheckpoint(path: string): Promise<CheckpointState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(path, 'cannot read it', e);
  }
  let data: CheckpointState;
  try {
    data = JSON.parse(text) as CheckpointState;
  } catch (e) {
    throw new CheckpointError(path, 'not valid JSON', e);
  }
  if (
    data?.version !== 1 ||
    typeof data.output !== 'string' ||
    !Number.isInteger(data.outputLength) ||
    typeof data.inputs !== 'object' ||
    data.inputs === null
  ) {
    throw new CheckpointError(path, 'not a fanout tail checkpoint (version 1)');
  }
  for (const [name, pos] of Object.entries(data.inputs)) {
    if (!isIdentity(pos?.identity) || !Number.isInteger(pos.offset) || pos.offset < 0) {
      throw new CheckpointError(path, `bad entry for input ${name}`);
    }
  }
  return data;
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

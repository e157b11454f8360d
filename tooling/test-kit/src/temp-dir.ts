import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder (`dir`) and the function that removes it with its contents. */
export interface TempDir {
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** Makes a temporary folder named `fanout-<label>-XXXXXX` under the system's temp folder. */
export async function tempDir(label = 'test'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), `fanout-${label}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@fanout/test-kit';

const run = promisify(execFile);
const pkg = fileURLToPath(new URL('..', import.meta.url));
let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail'));
});
afterEach(() => cleanup());

// Each build must find its own writer worker beside it (dist/writer-worker.js / .cjs).
const script = (load: string, out: string) => `
${load}
(async () => {
  const w = await tail.createLineWriter(${JSON.stringify(out)});
  await w.write('from ' + typeof tail.mergeFiles + '\\n');
  await w.close();
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('built package', () => {
  it('works through require (CJS build)', async () => {
    const out = join(dir, 'cjs.log');
    // A per-process flag must not stop the writer thread from starting.
    const load = `const tail = require('@fanout/tail');`;
    await run(process.execPath, ['--max-old-space-size=256', '-e', script(load, out)], {
      cwd: pkg,
    });
    expect(await readFile(out, 'utf8')).toBe('from function\n');
  });

  it('works through import (ESM build)', async () => {
    const out = join(dir, 'esm.log');
    const load = `const tail = await import('@fanout/tail');`;
    await run(process.execPath, ['--input-type=module', '-e', script(load, out)], { cwd: pkg });
    expect(await readFile(out, 'utf8')).toBe('from function\n');
  });
});

// The built ./constants entry, as consumers load it (`pnpm test` builds first).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localImports } from '@fanout/test-kit';

const require = createRequire(import.meta.url);
// Non-literal specifiers: typechecking must not depend on a built dist/.
const ESM_ENTRY = '../dist/index.js';
const CONSTANTS_ESM = '../dist/constants.js';
const CONSTANTS_CJS = '../dist/constants.cjs';

describe('built ./constants entry', () => {
  it('holds the option names and the default, the same in ESM and CJS as in the main entry', async () => {
    const esm = (await import(CONSTANTS_ESM)) as Record<string, unknown>;
    const cjs = require(CONSTANTS_CJS) as Record<string, unknown>;
    const main = (await import(ESM_ENTRY)) as Record<string, unknown>;
    const names = ['GCD_ALGORITHMS', 'RUN_MODES', 'defaultParallelism'];
    expect(Object.keys(esm).sort()).toEqual(names);
    expect(Object.keys(cjs).sort()).toEqual(names);
    expect(esm.GCD_ALGORITHMS).toEqual(['naive', 'euclid', 'binary']);
    expect(esm.RUN_MODES).toEqual(['serial', 'async', 'workers']);
    for (const name of names) {
      expect(main[name], name).toBe(esm[name]); // one value, whichever entry loaded it
    }
    expect(cjs.GCD_ALGORITHMS).toEqual(esm.GCD_ALGORITHMS);
    expect(cjs.RUN_MODES).toEqual(esm.RUN_MODES);
    expect((cjs.defaultParallelism as () => number)()).toBe(
      (esm.defaultParallelism as () => number)(),
    );
  });

  it('loads none of the runs', () => {
    const loaded = localImports(fileURLToPath(new URL(CONSTANTS_ESM, import.meta.url)));
    for (const [file, text] of loaded) {
      expect(text, file).not.toMatch(/worker_threads|runSerial|runWorkers|runAsync|gcdEuclid/);
    }
  });
});

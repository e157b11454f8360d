// The built package, as consumers load it: ESM and CJS entries export the same API.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localImports } from '@fanout/test-kit';

const require = createRequire(import.meta.url);
// Non-literal specifiers: typechecking must not depend on a built dist/.
const ESM_ENTRY = '../dist/index.js';
const CJS_ENTRY = '../dist/index.cjs';
const CONSTANTS_ESM = '../dist/constants.js';
const CONSTANTS_CJS = '../dist/constants.cjs';

describe('built package', () => {
  it('exports the same names from ESM and CJS, and the CJS build plays a game', async () => {
    const esm = (await import(ESM_ENTRY)) as Record<string, unknown>;
    const cjs = require(CJS_ENTRY) as typeof import('../src/index.js');
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    for (const name of [
      'GuessSession',
      'parseCommand',
      'formatCommand',
      'ProtocolError',
      'WireErrorCode',
      'createGuessServer',
      'connectGuessClient',
      'runLoad',
      'playChapterGames',
    ]) {
      expect(esm[name], name).toBeDefined();
    }
    await using server = cjs.createGuessServer({ strategy: 'bisect' });
    const { port } = await server.listen();
    await using client = await cjs.connectGuessClient({ port });
    const results = await cjs.playChapterGames(client);
    expect(results.filter((r) => r.decision === 'Correct').map((r) => r.number)).toEqual([3, 12]);
  });
});

describe('built ./constants entry', () => {
  it('holds the strategies alone, the same in ESM and CJS, loading none of the server', async () => {
    const esm = (await import(CONSTANTS_ESM)) as Record<string, unknown>;
    const cjs = require(CONSTANTS_CJS) as Record<string, unknown>;
    const main = (await import(ESM_ENTRY)) as Record<string, unknown>;
    expect(Object.keys(esm).sort()).toEqual(['STRATEGIES']);
    expect(Object.keys(cjs).sort()).toEqual(['STRATEGIES']);
    expect(esm.STRATEGIES).toEqual(['random', 'bisect']);
    expect(cjs.STRATEGIES).toEqual(esm.STRATEGIES);
    expect(main.STRATEGIES).toBe(esm.STRATEGIES); // one value, whichever entry loaded it
    const loaded = localImports(fileURLToPath(new URL(CONSTANTS_ESM, import.meta.url)));
    for (const [file, text] of loaded) {
      expect(text, file).not.toMatch(/from ["'](node:)?net["']|createServer/);
    }
    expect(loaded.size).toBeLessThanOrEqual(2); // the entry and the chunk it shares with index
  });
});

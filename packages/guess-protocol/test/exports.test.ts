// The built package, as consumers load it: ESM and CJS entries export the same API.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// Non-literal specifiers: typechecking must not depend on a built dist/.
const ESM_ENTRY = '../dist/index.js';
const CJS_ENTRY = '../dist/index.cjs';

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

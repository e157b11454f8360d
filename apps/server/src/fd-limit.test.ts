import { describe, expect, it } from 'vitest';
import {
  FALLBACK_MAX_CONNECTIONS,
  MAX_HTTP_CONNECTIONS,
  SPARE_FILES,
  connectionBudget,
  countOpenFiles,
  countOpenFilesNow,
  readOpenFileLimit,
} from './fd-limit.js';

describe('connectionBudget', () => {
  it('leaves room for the files open at start, the operations port and a spare', () => {
    const budget = connectionBudget({
      requested: undefined,
      openFileLimit: 20_000,
      openNow: 30,
      servesHttp: true,
    });
    expect(budget).toEqual({
      maxConnections: 20_000 - 30 - MAX_HTTP_CONNECTIONS - SPARE_FILES,
      maxHttpConnections: MAX_HTTP_CONNECTIONS,
      openFileLimit: 20_000,
      reserved: 30 + MAX_HTTP_CONNECTIONS + SPARE_FILES,
      requested: undefined,
      honoured: true,
    });
  });

  it('shrinks the operations port with a small limit, and workers keep no HTTP room', () => {
    const small = connectionBudget({
      requested: undefined,
      openFileLimit: 400,
      openNow: 30,
      servesHttp: true,
    });
    expect(small.maxHttpConnections).toBe(25);
    expect(small.maxConnections).toBe(400 - 30 - 25 - SPARE_FILES);
    const worker = connectionBudget({
      requested: undefined,
      openFileLimit: 400,
      openNow: 30,
      servesHttp: false,
    });
    expect(worker.maxConnections).toBe(400 - 30 - SPARE_FILES);
  });

  it('honours a limit that fits, and caps one that does not (saying so)', () => {
    const fits = connectionBudget({
      requested: 1_000,
      openFileLimit: 20_000,
      openNow: 30,
      servesHttp: true,
    });
    expect(fits).toMatchObject({ maxConnections: 1_000, honoured: true, requested: 1_000 });
    const tooMany = connectionBudget({
      requested: 50_000,
      openFileLimit: 20_000,
      openNow: 30,
      servesHttp: true,
    });
    expect(tooMany).toMatchObject({ maxConnections: 18_882, honoured: false, requested: 50_000 });
    // Even a tiny limit leaves at least one connection (the start-up warning tells why).
    const tiny = connectionBudget({
      requested: 10,
      openFileLimit: 64,
      openNow: 30,
      servesHttp: true,
    });
    expect(tiny).toMatchObject({ maxConnections: 1, honoured: false });
  });

  it('falls back to a fixed default when the limit is unknown', () => {
    expect(
      connectionBudget({
        requested: undefined,
        openFileLimit: undefined,
        openNow: undefined,
        servesHttp: true,
      }),
    ).toMatchObject({ maxConnections: FALLBACK_MAX_CONNECTIONS, honoured: true });
    expect(
      connectionBudget({
        requested: 77,
        openFileLimit: undefined,
        openNow: undefined,
        servesHttp: true,
      }),
    ).toMatchObject({ maxConnections: 77, honoured: true });
  });
});

describe('this process', () => {
  it('reads its open-file limit and counts its open files', async () => {
    const limit = readOpenFileLimit();
    expect(limit).toBeGreaterThan(0);
    const open = await countOpenFiles();
    const now = countOpenFilesNow();
    expect(open).toBeGreaterThan(2);
    expect(now).toBeGreaterThan(2);
    expect(open).toBeLessThanOrEqual(limit ?? Number.POSITIVE_INFINITY);
  });
});

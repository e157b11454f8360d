import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, runCli, SEED_COLUMNS, startCli } from './helpers.js';

afterAll(killAll);

async function demoDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('fanout-demo-'));
}

describe('fanout demo', () => {
  it('walks through every seed item and leaves no temporary folder behind', async () => {
    const before = await demoDirs();
    const result = await runCli(['demo'], { timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    // Life with a pool and with async executors: the seed's columns, twice, identical.
    expect(out.split(SEED_COLUMNS)).toHaveLength(3);
    expect(out).toContain('identical to the pool run: yes');
    // The guess transcript in the seed's order.
    const guess1 = out.indexOf("Guess a number between 1 and 5! Shhhhh, it's 3.\n");
    const guess2 = out.indexOf("Guess a number between 10 and 15! Shhhhh, it's 12.\n");
    expect(guess1).toBeGreaterThan(0);
    expect(guess2).toBeGreaterThan(guess1);
    expect(out.indexOf('Server: 3 is Correct\n')).toBeGreaterThan(guess1);
    expect(out.indexOf('Server: 3 is Correct\n')).toBeLessThan(guess2);
    expect(out.indexOf('Client: 3 is Correct\n')).toBeGreaterThan(guess2);
    // The merge check and the gcd timings.
    expect(out).toContain('nothing lost, nothing written twice, each log in order: OK');
    expect(out).toMatch(/^serial\s+Took \d+\.\d{3} seconds$/m);
    expect(out).toMatch(/^workers\s+Took \d+\.\d{3} seconds$/m);
    expect(out).toMatch(/speedup \(serial \/ workers\): \d+\.\d\dx/);
    expect(await demoDirs()).toEqual(before);
  });

  it('stops on SIGINT with exit 130 and removes its temporary folder', async () => {
    const before = await demoDirs();
    const demo = startCli(['demo']);
    await demo.waitFor(/^4\. /m, 30_000);
    demo.child.kill('SIGINT');
    const exit = await demo.exited(10_000);
    expect(exit.code).toBe(130);
    expect(await demoDirs()).toEqual(before);
  });
});

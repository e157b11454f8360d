import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom, tempDir, waitFor } from '@fanout/test-kit';

const child = fileURLToPath(new URL('./fixtures/merge-child.mjs', import.meta.url));
let dir = '';
let cleanup: () => Promise<void> = async () => {};
const running = new Set<ChildProcess>();
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail'));
});
afterEach(async () => {
  for (const p of running) p.kill('SIGKILL');
  await cleanup();
});

function start(args: string[]): { proc: ChildProcess; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      running.delete(proc);
      resolve(code);
    }),
  );
  return { proc, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety (built package, child process, SIGKILL)', () => {
  it('after kill -9 at random moments and restarts, every input line appears exactly once', async () => {
    const rnd = seededRandom(42);
    const inputs = [0, 1, 2].map((i) => join(dir, `in${i}.log`));
    const out = join(dir, 'out.log');
    const ckpt = join(dir, 'out.ckpt');
    const written: string[][] = inputs.map(() => []);
    let writing = true;
    // Renames happen between whole lines: a line written in two pieces around a rename is
    // split by the writer itself, not by the merger.
    let rotate: (() => void) | undefined;
    // Writers: whole lines, sometimes in two pieces, to random inputs, while the merger runs.
    const writer = (async () => {
      let n = 0;
      while (writing) {
        const i = Math.floor(rnd() * inputs.length);
        const line = `in${i} ${String(n++).padStart(7, '0')} ${'p'.repeat(Math.floor(rnd() * 40))}`;
        written[i]?.push(line);
        const full = `${line}\n`;
        if (rnd() < 0.01) {
          // A burst the writer thread copies (small appends are written by the main thread).
          let burst = `${full}`;
          for (let k = 0; k < 3000; k++) {
            const more = `in${i} ${String(n++).padStart(7, '0')} burst ${k}`;
            written[i]?.push(more);
            burst += `${more}\n`;
          }
          await appendFile(inputs[i] as string, burst);
        } else if (rnd() < 0.2) {
          const cut = 1 + Math.floor(rnd() * (full.length - 1));
          await appendFile(inputs[i] as string, full.slice(0, cut));
          await appendFile(inputs[i] as string, full.slice(cut));
        } else await appendFile(inputs[i] as string, full);
        if (rotate) {
          await rename(inputs[0] as string, `${inputs[0]}.1`);
          rotate();
          rotate = undefined;
        }
        if (n % 20 === 0) await sleep(1);
      }
    })();

    // The checkpoint has recorded the file now at `path` (so a rename of it can be traced).
    const recorded = async (path: string) => {
      const state = JSON.parse(await readFile(ckpt, 'utf8').catch(() => '{}'));
      const ino = (await stat(path, { bigint: true })).ino.toString();
      const generations: { identity: { ino: string } }[] = state.inputs?.[path]?.generations ?? [];
      return generations.some((g) => g.identity.ino === ino);
    };
    for (let kill = 0; kill < 5; kill++) {
      const { proc, exited } = start([out, ckpt, '1', ...inputs]);
      if (kill === 1) await waitFor(() => recorded(inputs[0] as string), 'a checkpoint', 30_000);
      await sleep(50 + Math.floor(rnd() * 500));
      proc.kill('SIGKILL');
      await exited;
      // Rotate one input while the merger is down: the restart must finish the renamed file.
      if (kill === 1) await new Promise<void>((resolve) => (rotate = resolve));
    }
    writing = false;
    await writer;

    const last = start([out, ckpt, '0', ...inputs]);
    let stdout = '';
    last.proc.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    expect(await last.exited).toBe(0);
    expect(JSON.parse(stdout).errors).toBe(0);

    const got: string[][] = inputs.map(() => []);
    for (const line of (await readFile(out, 'utf8')).split('\n')) {
      if (line === '') continue;
      got[Number(line.slice(2, line.indexOf(' ')))]?.push(line);
    }
    for (let i = 0; i < inputs.length; i++) {
      expect(got[i]?.length, `lines of input ${i}`).toBe(written[i]?.length);
      expect(got[i]).toEqual(written[i]);
    }
  }, 60_000);
});

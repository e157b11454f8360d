// Interoperability with the seed's own programs, in both directions, through the
// compatibility fixture test/fixtures/chapter_guess.py (the seed's asyncio server and client).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectGuessClient,
  createGuessServer,
  formatClientResult,
  type GuessServerEvent,
  playChapterGames,
} from '../src/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/chapter_guess.py', import.meta.url));
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
});

/** Starts the fixture; `lines` fills with its stdout lines, `waitFor` awaits a count. */
function python(args: string[]): {
  child: ChildProcess;
  lines: string[];
  waitFor: (predicate: (lines: string[]) => boolean) => Promise<void>;
  exit: Promise<number | null>;
} {
  const child = spawn('python3', [FIXTURE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let carry = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    const parts = (carry + text).split('\n');
    carry = parts.pop() ?? '';
    lines.push(...parts);
    for (const waiter of [...waiters]) waiter();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      for (const waiter of [...waiters]) waiter();
      resolve(code);
    });
  });
  const waitFor = (predicate: (lines: string[]) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(lines)) {
          waiters.delete(check);
          resolve();
        } else if (child.exitCode !== null) {
          waiters.delete(check);
          reject(new Error(`fixture exited early: ${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });
  return { child, lines, waitFor, exit };
}

describe('compatibility with the seed programs', () => {
  it("the seed's client plays against our server", async () => {
    const events: GuessServerEvent[] = [];
    await using server = createGuessServer({ onEvent: (event) => events.push(event) });
    const { port } = await server.listen();
    const seed = python(['client', String(port)]);
    expect(await seed.exit).toBe(0);
    const serverLines = events.flatMap((e) => (e.type === 'report' ? [e.text] : []));
    expect(seed.lines.slice(0, 2)).toEqual([
      "Guess a number between 1 and 5! Shhhhh, it's 3.",
      "Guess a number between 10 and 15! Shhhhh, it's 12.",
    ]);
    expect(seed.lines.slice(2)).toEqual(serverLines.map((l) => l.replace('Server:', 'Client:')));
    expect(seed.lines).toContain('Client: 3 is Correct');
    // It ran both sessions, ended each with PARAMS 0 -1, and never got an ERROR.
    expect(events.filter((e) => e.type === 'session-start')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it("our client plays against the seed's server", async () => {
    const seed = python(['server']);
    await seed.waitFor((lines) => lines.some((line) => line.startsWith('PORT ')));
    const port = Number(seed.lines.find((line) => line.startsWith('PORT '))?.slice(5));
    const announced: string[] = [];
    const client = await connectGuessClient({ port, timeoutMs: 10_000 });
    const results = await playChapterGames(client, { onLine: (line) => announced.push(line) });
    await client.close();
    expect(announced).toHaveLength(2);
    expect(results).toContainEqual({ number: 3, decision: 'Correct' });
    await seed.waitFor((lines) => lines.length >= 1 + results.length);
    expect(seed.lines.slice(1)).toEqual(
      results.map((r) => formatClientResult(r.number, r.decision).replace('Client:', 'Server:')),
    );
  });
});

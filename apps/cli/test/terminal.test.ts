/**
 * Progress on a real terminal: `script` gives the CLI a pseudo-terminal, so stderr is a TTY
 * as it is for a person. A terminal that cannot move its cursor (`TERM=dumb`) must get no
 * escape codes and no spinner frames.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

/** Runs `fanout ...args` with stdin/stdout/stderr on a pseudo-terminal; returns what it drew. */
function onTerminal(args: readonly string[], term: string): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qec', command, '/dev/null'],
      { env: { ...process.env, TERM: term }, timeout: 60_000, encoding: 'latin1' },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

// Long enough (a few hundred ms of count-down) for the spinner to draw several frames.
const WORK = ['gcd', '--mode', 'serial', '--scale', '40'];
const ESCAPE = '\x1b';

describe('progress on a terminal', () => {
  it('draws a spinner where the terminal can (the check below can fail)', async () => {
    const drawn = await onTerminal(WORK, 'xterm-256color');
    expect(drawn).toContain(ESCAPE);
  });

  it('draws nothing but the results on TERM=dumb', async () => {
    const drawn = await onTerminal(WORK, 'dumb');
    expect(drawn).not.toContain(ESCAPE);
    expect(drawn).toMatch(/Took \d+(\.\d+)? seconds/);
  });
});

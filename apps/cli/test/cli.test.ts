import { builtinPatternNames } from '@fanout/grid';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, runCli } from './helpers.js';

afterAll(killAll);

describe.concurrent('fanout (top level)', () => {
  it.concurrent.each([['--version'], ['-v'], ['-V']])(
    'prints the version from package.json for %s',
    async (flag) => {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
      expect(result.stderr).toBe('');
    },
  );

  it('prints help listing every command, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const name of ['life', 'guess', 'tail', 'gcd', 'worker', 'demo']) {
      expect(result.stdout).toContain(`  ${name}`);
    }
    expect(result.stderr).toBe('');
  });

  it.concurrent.each([
    ['life'],
    ['guess'],
    ['guess', 'serve'],
    ['guess', 'play'],
    ['guess', 'load'],
    ['tail'],
    ['gcd'],
    ['demo'],
  ])('%s %s --help works and exits 0', async (...names) => {
    const result = await runCli([...names, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: fanout ${names.join(' ')}`));
  });

  it("lists grid's own built-in pattern names in life --help", async () => {
    const result = await runCli(['life', '--help']);
    expect(result.stdout).toContain(`Built-in patterns: ${builtinPatternNames.join(', ')}.`);
  });

  it('exits 2 with one line for an unknown command', async () => {
    const result = await runCli(['lfie']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown command 'lfie' (Did you mean life?)\n");
    expect(result.stdout).toBe('');
  });

  it('exits 2 with help on stderr when no command is given', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: fanout');
  });
});

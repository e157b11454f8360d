import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

function runNode(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const path = fileURLToPath(new URL(`./consumers/${script}`, import.meta.url));
  return new Promise((resolve) => {
    // The timeout kills the child if it were kept alive by a worker thread.
    execFile(process.execPath, [path], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr });
    });
  });
}

describe('the built package', () => {
  it.each([
    ['consumer.mjs', 'esm'],
    ['consumer.cjs', 'cjs'],
  ])('%s imports it, runs worker tasks and exits by itself', async (script, format) => {
    const { code, stdout, stderr } = await runNode(script);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      format,
      sum: 42,
      squares: [1, 4, 9],
      product: 42,
      inProcess: 42,
      alsoInProcess: 42,
    });
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Wall time of whole processes, start-up and module loading included: `cat FILES > out`
 * against `node <fanout bin> tail FILES -o out`, alternating, `runs` each; medians in ms.
 */
export function wholeProcess(
  bin: string,
  inputs: string[],
  output: string,
  runs: number,
): { cat: number; ours: number; catRuns: number[]; ourRuns: number[] } {
  const catRuns: number[] = [];
  const ourRuns: number[] = [];
  const time = (run: () => void): number => {
    rmSync(output, { force: true });
    const t = performance.now();
    run();
    return performance.now() - t;
  };
  execFileSync('sync');
  for (let r = 0; r < runs; r++) {
    catRuns.push(
      time(() =>
        execFileSync('sh', ['-c', `cat "$@" > ${JSON.stringify(output)}`, 'cat', ...inputs]),
      ),
    );
    ourRuns.push(
      time(() => {
        const res = spawnSync(process.execPath, [bin, 'tail', ...inputs, '-o', output], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        if (res.status !== 0) throw new Error(`fanout tail exited ${res.status}`);
      }),
    );
  }
  rmSync(output, { force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return { cat: median(catRuns), ours: median(ourRuns), catRuns, ourRuns };
}

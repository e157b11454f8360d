import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A plain read/write copy loop: what any Node program pays to concatenate the inputs. */
const COPY_FLOOR = fileURLToPath(new URL('./floor/copy-floor.mjs', import.meta.url));

/** A Node binary to run the CLI with, and its version (`v24.1.0`). */
export interface NodeBinary {
  path: string;
  version: string;
}

/** Whole-process medians (ms) for one Node binary. */
export interface NodeTimes {
  node: NodeBinary;
  /** `node <fanout bin> tail FILES -o out`. */
  ours: number;
  /** `node -e 0`: the start-up floor of this binary. */
  bare: number;
  /** `node floor/copy-floor.mjs out FILES`: start-up plus a bare read/write copy loop. */
  floor: number;
  ourRuns: number[];
}

const MAJORS = [20, 22, 24, 26];

/**
 * The environment the Node processes are timed in: this one without `NODE_EXTRA_CA_CERTS`.
 * Node 20 reads those certificates at start-up (about 65 ms on a 2-core VM), though nothing
 * here uses TLS; later Nodes read them when TLS is first used. Dropping it times the merge,
 * not a setting of the machine.
 */
export function measuredEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _dropped, ...rest } = env;
  return rest;
}

/**
 * The Node binaries to compare: `FANOUT_BENCH_NODES` (paths, separated by `:` or `,`) when
 * set, else this process's node and the unpacked ones found in the usual caches
 * (`~/.cache/fanout/node/<major>/package/bin/node`, `/tmp/nodecache/<major>/…`), one per
 * version.
 */
export function benchNodes(env: NodeJS.ProcessEnv = process.env): NodeBinary[] {
  const listed = env.FANOUT_BENCH_NODES?.split(/[:,]/).filter((p) => p.length > 0);
  const candidates = listed ?? [
    process.execPath,
    ...MAJORS.flatMap((m) => [
      join(homedir(), '.cache', 'fanout', 'node', String(m), 'package', 'bin', 'node'),
      join('/tmp', 'nodecache', String(m), 'package', 'bin', 'node'),
    ]),
  ];
  const out: NodeBinary[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      if (listed) throw new Error(`FANOUT_BENCH_NODES: no such file ${path}`);
      continue;
    }
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    if (!out.some((n) => n.version === version)) out.push({ path, version });
  }
  const major = (n: NodeBinary) => Number(n.version.slice(1).split('.')[0]);
  return out.sort((a, b) => major(a) - major(b));
}

/**
 * Wall time of whole processes, start-up and module loading included: `cat FILES > out`
 * against `node <fanout bin> tail FILES -o out` for each Node binary (and `node -e 0`, its
 * start-up, and a bare read/write copy loop, the floor of any Node program doing this),
 * taking turns, `runs` rounds; medians in ms.
 */
export function wholeProcess(
  bin: string,
  inputs: string[],
  output: string,
  runs: number,
  nodes: NodeBinary[] = benchNodes(),
): { cat: number; catRuns: number[]; nodes: NodeTimes[] } {
  const catRuns: number[] = [];
  const ourRuns = nodes.map(() => [] as number[]);
  const bareRuns = nodes.map(() => [] as number[]);
  const floorRuns = nodes.map(() => [] as number[]);
  const time = (run: () => void): number => {
    rmSync(output, { force: true });
    const t = performance.now();
    run();
    return performance.now() - t;
  };
  const env = measuredEnv();
  const spawn = (file: string, args: string[]) => {
    const res = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (res.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${res.status}`);
  };
  execFileSync('sync');
  // One warm-up round, not counted (page cache, compile cache).
  for (let r = -1; r < runs; r++) {
    const cat = time(() =>
      execFileSync('sh', ['-c', `cat "$@" > ${JSON.stringify(output)}`, 'cat', ...inputs]),
    );
    if (r >= 0) catRuns.push(cat);
    nodes.forEach((node, i) => {
      const ours = time(() => spawn(node.path, [bin, 'tail', ...inputs, '-o', output]));
      const bare = time(() => spawn(node.path, ['-e', '0']));
      const floor = time(() => spawn(node.path, [COPY_FLOOR, output, ...inputs]));
      if (r >= 0) {
        ourRuns[i]?.push(ours);
        bareRuns[i]?.push(bare);
        floorRuns[i]?.push(floor);
      }
    });
  }
  rmSync(output, { force: true });
  return {
    cat: median(catRuns),
    catRuns,
    nodes: nodes.map((node, i) => ({
      node,
      ours: median(ourRuns[i] ?? []),
      bare: median(bareRuns[i] ?? []),
      floor: median(floorRuns[i] ?? []),
      ourRuns: ourRuns[i] ?? [],
    })),
  };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
}

/** The table rows of a `wholeProcess` result: one per Node binary, beside cat. */
export function wholeProcessRows(
  wp: ReturnType<typeof wholeProcess>,
  files: number,
  runs: number,
): [string, string, string, string][] {
  return wp.nodes.map((n) => [
    `whole process, merge ${files} x 300,000 lines, node ${n.node.version}, ms (median of ${runs}, start-up included)`,
    `${n.ours.toFixed(0)} ms (node -e 0: ${n.bare.toFixed(0)} ms)`,
    `cat: ${wp.cat.toFixed(0)} ms; Node copy loop: ${n.floor.toFixed(0)} ms`,
    `${(wp.cat / n.ours).toFixed(2)}x cat's speed (goal >= 0.6x; the copy loop: ${(wp.cat / n.floor).toFixed(2)}x)`,
  ]);
}

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How a command ended. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command and collects its output; never rejects (the result says how it ended). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A throw-away npm project outside the workspace: a folder with a bare package.json. */
export function newProject(label: string, type: 'module' | 'commonjs' = 'module'): string {
  const dir = mkdtempSync(join(tmpdir(), `fanout-consumer-${label}-`));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-${label}`, private: true, type }, null, 2)}\n`,
  );
  return dir;
}

/** `npm install` of the given specs (tarball paths, `name@range`) into `dir`. */
export async function npmInstall(
  dir: string,
  specs: readonly string[],
  extra: string[] = [],
): Promise<void> {
  // The npm on PATH (the Node binaries of the matrix ship without one); it runs on the
  // node first on PATH, which is the Node under test.
  const result = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...extra, ...specs],
    { cwd: dir, timeoutMs: 240_000 },
  );
  if (result.code !== 0) {
    throw new Error(`npm install ${specs.join(' ')} failed in ${dir}:\n${result.stderr}`);
  }
}

/** Copies a fixture folder's files into a project. */
export function copyFixtures(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** How a command ended. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the command was killed for running past its time limit. */
  readonly timedOut: boolean;
}

/** Runs a command and collects its output; never rejects (the result says how it ended). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((done) => {
    const child = execFile(
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
        const timedOut = error !== null && error.killed === true && code === null;
        done({ code, stdout, stderr, timedOut });
      },
    );
    // Nothing is ever typed in: a command that asks gets end-of-input, not a silent wait.
    child.stdin?.end();
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

/** Where the npm first on PATH is installed (`/usr` for `/usr/lib/node_modules/npm`). */
function npmPrefix(): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, 'npm');
    if (!existsSync(candidate)) continue;
    // <prefix>/bin/npm -> <prefix>/lib/node_modules/npm/bin/npm-cli.js
    return resolve(realpathSync(candidate), '..', '..', '..', '..', '..');
  }
  return undefined;
}

/** npm settings a person may set in the environment on purpose; they are kept. */
const KEPT_NPM_SETTINGS = new Set([
  'npm_config_cache',
  'npm_config_registry',
  'npm_config_cafile',
  'npm_config_proxy',
  'npm_config_https_proxy',
  'npm_config_noproxy',
]);

/**
 * The environment npm runs in: the caller's, less the other `npm_*` variables pnpm sets for
 * its scripts (they are pnpm's settings, not the user's npm's), with npm's global config taken
 * from where that npm is installed. npm looks for its global config beside the node that
 * runs it, and the Node binaries of the test matrix live in a cache folder with none: the
 * machine's settings there (a `cafile` for the registry's certificate, say) would be lost.
 */
export function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') || KEPT_NPM_SETTINGS.has(key)) env[key] = value;
  }
  const prefix = npmPrefix();
  const globalConfig = prefix === undefined ? undefined : join(prefix, 'etc', 'npmrc');
  if (globalConfig !== undefined && existsSync(globalConfig)) {
    env.npm_config_globalconfig = globalConfig;
  }
  return env;
}

/** `npm install` of the given specs (tarball paths, `name@range`) into `dir`. */
export async function npmInstall(
  dir: string,
  specs: readonly string[],
  extra: string[] = [],
): Promise<void> {
  // The npm on PATH (the Node binaries of the matrix ship without one); it runs on the
  // node first on PATH, which is the Node under test. Short fetch limits: a registry that
  // cannot be reached fails with npm's own reason instead of retrying past the time limit.
  const result = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      '--prefer-offline',
      '--fetch-timeout=60000',
      '--fetch-retries=2',
      '--loglevel=warn',
      ...extra,
      ...specs,
    ],
    { cwd: dir, timeoutMs: 300_000, env: npmEnvironment() },
  );
  if (result.code !== 0) {
    const how = result.timedOut ? 'timed out' : `failed (exit ${result.code})`;
    throw new Error(
      `npm install ${specs.join(' ')} ${how} in ${dir}:\n${result.stderr}${result.stdout}`,
    );
  }
}

/** Copies a fixture folder's files into a project. */
export function copyFixtures(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

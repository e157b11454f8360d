import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Files git tracks (the repository as a clone has it). */
function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
}

/** Published workspace packages: folder and manifest. */
function publishedPackages(): { dir: string; name: string }[] {
  const found: { dir: string; name: string }[] = [];
  for (const group of ['packages', 'apps']) {
    for (const folder of readdirSync(join(ROOT, group))) {
      const dir = join(ROOT, group, folder);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      };
      if (manifest.private !== true) found.push({ dir, name: manifest.name });
    }
  }
  return found;
}

/** The shell commands in the README's fenced `sh` blocks. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) =>
    (m[1] ?? '').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')),
  );
}

describe('the repository stands alone', () => {
  it('has no file that points outside it (a clone has nothing there)', () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      if (file.endsWith('pnpm-lock.yaml') || file.includes('/fixtures/')) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      if (/\.\.\/(\.\.\/)*shared\//.test(text)) offenders.push(`${file}: ../shared`);
      if (!file.endsWith('.md')) continue;
      for (const match of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = match[1] ?? '';
        if (/^[a-z]+:/i.test(target)) continue; // a URL
        const absolute = resolve(dirname(join(ROOT, file)), target);
        const inside = !relative(ROOT, absolute).startsWith('..');
        if (!inside || !existsSync(absolute)) offenders.push(`${file}: ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps its architecture, command-line contract and conventions in docs/', () => {
    for (const doc of ['architecture.md', 'cli.md', 'conventions.md', 'releasing.md']) {
      expect(existsSync(join(ROOT, 'docs', doc)), doc).toBe(true);
    }
  });

  it('is MIT licensed, at the root and in every published package', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License/);
    for (const pkg of publishedPackages()) {
      expect(readFileSync(join(pkg.dir, 'LICENSE'), 'utf8'), pkg.name).toBe(license);
      const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as {
        license?: string;
      };
      expect(manifest.license, pkg.name).toBe('MIT');
    }
  });
});

describe("the README's two commands", () => {
  it('has a main-job command and a test command, and CI runs the test command exactly', () => {
    const commands = readmeCommands();
    const main = commands.find((c) => c.includes('fanout demo'));
    const test = commands.find((c) => c.includes('pnpm verify'));
    expect(main).toBeDefined();
    expect(test).toBeDefined();
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n');
    expect(ci).toContain(test);
  });

  it('builds quietly before the demo: only errors are printed, not every tool log line', () => {
    const main = readmeCommands().find((c) => c.includes('fanout demo')) ?? '';
    expect(main).toMatch(/pnpm (-s )?build &&/);
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(root.scripts.build).toContain('--output-logs=errors-only');
  });
});

describe('the built packages', () => {
  it('hold only relative paths in their source maps', () => {
    const absolute: string[] = [];
    for (const pkg of publishedPackages()) {
      const dist = join(pkg.dir, 'dist');
      for (const file of readdirSync(dist).filter((f) => f.endsWith('.map'))) {
        const map = JSON.parse(readFileSync(join(dist, file), 'utf8')) as { sources: string[] };
        for (const source of map.sources) {
          if (isAbsolute(source)) absolute.push(`${pkg.name} ${file}: ${source}`);
        }
      }
    }
    expect(absolute).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** A published workspace package, as its package.json declares it. */
export interface PublishedPackage {
  readonly name: string;
  readonly dir: string;
  /** Its `@fanout/…` runtime dependencies, by name. */
  readonly fanoutDependencies: readonly string[];
  readonly bin: Readonly<Record<string, string>>;
}

/** Every package under packages/ and apps/ that is not private. */
export function publishedPackages(): PublishedPackage[] {
  const found: PublishedPackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const folder of readdirSync(join(ROOT, group)).sort()) {
      const dir = join(ROOT, group, folder);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
        dependencies?: Record<string, string>;
        bin?: Record<string, string>;
      };
      if (manifest.private === true) continue;
      found.push({
        name: manifest.name,
        dir,
        fanoutDependencies: Object.keys(manifest.dependencies ?? {}).filter((d) =>
          d.startsWith('@fanout/'),
        ),
        bin: manifest.bin ?? {},
      });
    }
  }
  return found;
}

/** `name` and every `@fanout` package it depends on, directly or not. */
export function withFanoutDependencies(name: string, all: readonly PublishedPackage[]): string[] {
  const byName = new Map(all.map((p) => [p.name, p]));
  const seen = new Set<string>();
  const visit = (current: string): void => {
    if (seen.has(current)) return;
    const pkg = byName.get(current);
    if (pkg === undefined) throw new Error(`${current} is not a published workspace package`);
    seen.add(current);
    for (const dep of pkg.fanoutDependencies) visit(dep);
  };
  visit(name);
  return [...seen];
}

/**
 * Packs every published package with the release script (what users and `changeset
 * publish` get), into `out`. Returns the tarball of each package by name.
 */
export function packAll(out: string): Record<string, string> {
  const stdout = execFileSync(
    process.execPath,
    [join(ROOT, 'scripts', 'release-pack.mjs'), '--out', out],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return (JSON.parse(stdout) as { tarballs: Record<string, string> }).tarballs;
}

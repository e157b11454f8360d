#!/usr/bin/env node
// `pnpm release:pack [--out DIR]`: packs every published package and app into one folder
// (default `release/`), the way `changeset publish` would publish them: `workspace:`
// dependencies rewritten to version ranges, only `files` (dist, README, LICENSE) inside.
// Installing the folder's tarballs together needs no registry for the @fanout packages:
//   npm install -g release/*.tgz        # fanout and fanout-server
//   npm install release/fanout-grid-*.tgz release/fanout-executors-*.tgz
// Prints one JSON object: { "out": DIR, "tarballs": { "@fanout/grid": "/abs/….tgz", … } }.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const outFlag = args.indexOf('--out');
if (outFlag !== -1 && args[outFlag + 1] === undefined) {
  console.error('release-pack: --out needs a folder');
  process.exit(2);
}
const out = resolve(outFlag === -1 ? join(root, 'release') : args[outFlag + 1]);

/** Every workspace folder under packages/ and apps/ whose package.json is not private. */
function publishedPackages() {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (manifest.private !== true)
        found.push({ dir, name: manifest.name, version: manifest.version });
    }
  }
  return found;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const tarballs = {};
for (const pkg of publishedPackages()) {
  const before = new Set(readdirSync(out));
  execFileSync('pnpm', ['pack', '--pack-destination', out], {
    cwd: pkg.dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const made = readdirSync(out).filter((file) => !before.has(file) && file.endsWith('.tgz'));
  if (made.length !== 1) {
    console.error(`release-pack: pnpm pack of ${pkg.name} made ${made.length} tarballs`);
    process.exit(1);
  }
  tarballs[pkg.name] = join(out, made[0]);
}
console.log(JSON.stringify({ out, tarballs }));

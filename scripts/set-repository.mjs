#!/usr/bin/env node
// Before `changeset publish` in the release workflow: writes each published package's
// `repository` field from GitHub's environment (GITHUB_SERVER_URL, GITHUB_REPOSITORY), so
// npm provenance can tie every tarball to the repository and folder it was built from,
// whatever the repository is called. Outside GitHub Actions it changes nothing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: read outside turbo, by the release job
const server = process.env.GITHUB_SERVER_URL;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: read outside turbo, by the release job
const repository = process.env.GITHUB_REPOSITORY;
if (!server || !repository) {
  console.error('set-repository: not in GitHub Actions (GITHUB_REPOSITORY unset); nothing changed');
  process.exit(0);
}
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
for (const group of ['packages', 'apps']) {
  for (const folder of readdirSync(join(root, group))) {
    const file = join(root, group, folder, 'package.json');
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    if (manifest.private === true) continue;
    manifest.repository = {
      type: 'git',
      url: `git+${server}/${repository}.git`,
      directory: `${group}/${folder}`,
    };
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    console.error(
      `set-repository: ${manifest.name} → ${manifest.repository.url} (${group}/${folder})`,
    );
  }
}

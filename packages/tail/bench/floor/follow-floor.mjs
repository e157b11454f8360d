// The least a Node process can do to follow a directory of files: one fs.watch, and on each
// event the new bytes read and written out as they are. No lines, no rotation, no
// checkpoint, no safety looks: not a follower, only the price of a Node process woken by
// each append (a bench row, so that our figures can be read against it).
// Usage: node follow-floor.mjs DIR OUTPUT
import { openSync, readdirSync, readSync, watch, writeSync } from 'node:fs';
import { join } from 'node:path';

const [dir, output] = process.argv.slice(2);
if (!dir || !output) throw new Error('usage: follow-floor.mjs DIR OUTPUT');
const out = openSync(output, 'w');
const buf = Buffer.allocUnsafe(64 * 1024);
const files = new Map();
for (const name of readdirSync(dir)) files.set(name, { fd: openSync(join(dir, name), 'r'), at: 0 });

const drain = (file) => {
  for (;;) {
    const n = readSync(file.fd, buf, 0, buf.length, file.at);
    if (n <= 0) return;
    file.at += n;
    writeSync(out, buf, 0, n);
  }
};
for (const file of files.values()) drain(file);
watch(dir, (_type, name) => {
  const file = files.get(String(name));
  if (file) drain(file);
});
process.on('SIGTERM', () => process.exit(0));

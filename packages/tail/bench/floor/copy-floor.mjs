// The least a Node process can do to concatenate files: read each through one 256 KiB
// buffer and write it out, with no line handling at all (a bench row: the whole-process
// floor of a Node program, beside cat, which copies inside the kernel).
// Usage: node copy-floor.mjs OUTPUT INPUT...
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const [output, ...inputs] = process.argv.slice(2);
if (!output || inputs.length === 0) throw new Error('usage: copy-floor.mjs OUTPUT INPUT...');
const out = openSync(output, 'w');
const buf = Buffer.allocUnsafe(256 * 1024);
for (const input of inputs) {
  const fd = openSync(input, 'r');
  for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
    for (let done = 0; done < n; ) done += writeSync(out, buf, done, n - done);
  }
  closeSync(fd);
}
closeSync(out);

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { mergeFiles } from '../src/index.js';

// Appends `rate` lines/s to each input, stamped with the wall-clock time of the write, from a
// separate thread so the writers do not share the merger's event loop.
const WRITER = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { paths, rate, seconds } = workerData;
const fds = paths.map((p) => fs.openSync(p, 'a'));
const sent = paths.map(() => 0);
const start = performance.now();
const pad = 'x'.repeat(20);
function tick() {
  const elapsed = performance.now() - start;
  const due = Math.min(Math.floor((elapsed / 1000) * rate), rate * seconds);
  const now = (performance.timeOrigin + performance.now()).toFixed(3);
  for (let i = 0; i < fds.length; i++) {
    let chunk = '';
    for (; sent[i] < due; sent[i]++) chunk += i + ' ' + sent[i] + ' ' + now + ' ' + pad + '\\n';
    if (chunk) fs.writeSync(fds[i], chunk);
  }
  if (due >= rate * seconds) { fds.forEach((fd) => fs.closeSync(fd)); parentPort.postMessage(sent); return; }
  setTimeout(tick, 1);
}
tick();
`;

const READER = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { output, expected } = workerData;
const latencies = [];
let fd = -1;
let pos = 0;
let carry = '';
const buf = Buffer.alloc(1 << 20);
function poll() {
  if (fd < 0) { try { fd = fs.openSync(output, 'r'); } catch { return setTimeout(poll, 1); } }
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) break;
    pos += n;
    const now = performance.timeOrigin + performance.now();
    const lines = (carry + buf.toString('latin1', 0, n)).split('\\n');
    carry = lines.pop();
    for (const l of lines) latencies.push(now - Number(l.split(' ')[2]));
  }
  if (latencies.length >= expected) { fs.closeSync(fd); parentPort.postMessage(latencies); return; }
  setTimeout(poll, 1);
}
poll();
`;

export interface LatencyResult {
  lines: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Follow latency: `inputs` files written at `rate` lines/s each for `seconds`, merged with
 * default settings into a file; a line's latency is from its write to the moment a follower
 * of the output file sees it (a 1 ms polling reader in another thread, so up to ~1 ms of it is
 * the reader's).
 */
export async function followLatency(
  dir: string,
  inputs: number,
  rate: number,
  seconds: number,
): Promise<LatencyResult> {
  const paths = Array.from({ length: inputs }, (_, i) => join(dir, `live-${i}.log`));
  const output = join(dir, 'live-out.log');
  // Steady state: the inputs exist (empty) and are being followed before lines arrive.
  await Promise.all(paths.map((p) => writeFile(p, '')));
  const stop = new AbortController();
  const merging = mergeFiles(paths, output, { follow: true, signal: stop.signal });
  const expected = inputs * rate * seconds;
  // The output is read by a separate thread with its own 1 ms polling reader (not our code),
  // so measuring costs the merger nothing.
  const readerThread = new Worker(READER, { eval: true, workerData: { output, expected } });
  const read = new Promise<number[]>((resolve, reject) => {
    readerThread.once('message', resolve);
    readerThread.once('error', reject);
  });
  // The output exists (its writer thread is up) and the followers had time to open and watch.
  for (let i = 0; i < 500 && !existsSync(output); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300));
  const writer = new Worker(WRITER, { eval: true, workerData: { paths, rate, seconds } });
  await new Promise((resolve, reject) => {
    writer.once('message', resolve);
    writer.once('error', reject);
  });
  const deadline = setTimeout(() => void readerThread.terminate(), 10_000);
  const latencies = await read.catch(() => [] as number[]);
  clearTimeout(deadline);
  stop.abort();
  await merging;
  await writer.terminate();
  await readerThread.terminate();
  if (latencies.length !== expected) {
    throw new Error(`follow latency: ${latencies.length} of ${expected} lines arrived`);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { lines: latencies.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

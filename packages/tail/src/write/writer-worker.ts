import { fsyncSync, writevSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { copyLines, createCopyBuffer } from './copy-lines.js';
import type { InPlaceCounter } from '../read/newline-simd.js';
import {
  COPIES,
  type CopyRequest,
  FREE,
  type FromWorker,
  LOCK,
  POSITION,
  type ToWorker,
  WORKER,
  type WorkerFailure,
  WRITTEN,
  type WriterConfig,
} from './writer-protocol.js';

// Writes the output the main thread opened (and may have begun writing while this thread
// started): every system call of a busy output happens here, off the main loop. The main
// thread closes the descriptor once this thread is done with it.
const config = workerData as WriterConfig;
const port = parentPort;
if (!port) throw new Error('writer-worker must run as a worker thread');

const IOV_MAX = 1024;
/** Written chunks at least this big go back to the main thread to be read into again. */
const SPARE_MIN_BYTES = 64 * 1024;
const fd = config.fd;
/** The output's end while this thread holds it (taken from the shared slots on `hold`). */
let position = 0;
let failure: WorkerFailure | undefined;
let queue: Uint8Array[] = [];
let queued = 0;
let scheduled = false;
/** Bytes written and not yet acknowledged to the main thread. */
let unacked = 0;
/**
 * The one buffer copies read through, reused so that it stays in the cache; where possible
 * inside the SIMD counter's memory, so lines are counted where they were read.
 */
let copyBuffer: InPlaceCounter | undefined;

const lock = new Int32Array(config.shared, 0, 1);
const slots = new Float64Array(config.shared);
let holding = false;

/**
 * Takes the output from the main thread (which holds it only for one small write) before
 * touching it, and picks up where that write left the end.
 */
function hold(): void {
  if (holding) return;
  for (;;) {
    const was = Atomics.compareExchange(lock, LOCK, FREE, WORKER);
    if (was === FREE) break;
    Atomics.wait(lock, LOCK, was, 1);
  }
  holding = true;
  position = slots[POSITION] as number;
}

/** Lets the main thread write small appends itself once nothing is queued here. */
function releaseIfIdle(): void {
  if (!holding || queue.length > 0 || scheduled) return;
  slots[POSITION] = position;
  holding = false;
  Atomics.store(lock, LOCK, FREE);
}

function post(msg: FromWorker): void {
  port?.postMessage(msg);
}

function failureOf(action: string, e: unknown): WorkerFailure {
  const err = e as NodeJS.ErrnoException;
  return { action, message: err?.message ?? String(e), code: err?.code };
}

/** Writes everything queued with as few writev calls as possible. */
function drain(): void {
  scheduled = false;
  while (queue.length > 0) {
    const take: Uint8Array[] = [];
    let bytes = 0;
    while (queue.length > 0 && take.length < IOV_MAX && bytes < config.batchBytes) {
      const c = queue.shift() as Uint8Array;
      take.push(c);
      bytes += c.byteLength;
    }
    queued -= bytes;
    if (!failure) {
      try {
        hold();
        writeAll(take, bytes);
        position += bytes;
        slots[WRITTEN] = (slots[WRITTEN] as number) + bytes;
      } catch (e) {
        failure = failureOf('write', e);
        post({ type: 'error', failure });
      }
    }
    // Views of one buffer arrive together, so only the next queued chunk can still need the
    // last one's memory: that buffer goes back with a later batch.
    const spare = new Set<ArrayBuffer>();
    for (const c of take) {
      if (c.buffer.byteLength >= SPARE_MIN_BYTES) spare.add(c.buffer as ArrayBuffer);
    }
    const next = queue[0];
    if (next) spare.delete(next.buffer as ArrayBuffer);
    unacked += bytes;
    if (spare.size > 0 || unacked >= config.ackBytes) acknowledge([...spare]);
  }
  releaseIfIdle();
}

/** Tells the main thread how many bytes were written since the last time (its backpressure). */
function acknowledge(spare: ArrayBuffer[] = []): void {
  if (unacked === 0 && spare.length === 0) return;
  port?.postMessage({ type: 'written', bytes: unacked, spare } satisfies FromWorker, spare);
  unacked = 0;
}

function writeAll(chunks: Uint8Array[], total: number): void {
  let done = 0;
  let list = chunks;
  while (done < total) {
    // O_APPEND files ignore the position; other modes write at our own offset.
    const n = writevSync(fd, list, position + done);
    done += n;
    if (done < total) list = skipBytes(list, n);
  }
}

function skipBytes(list: Uint8Array[], n: number): Uint8Array[] {
  let left = n;
  const out: Uint8Array[] = [];
  for (const c of list) {
    if (left >= c.byteLength) {
      left -= c.byteLength;
      continue;
    }
    out.push(left > 0 ? c.subarray(left) : c);
    left = 0;
  }
  return out;
}

function schedule(): void {
  if (queued >= config.batchBytes) {
    drain();
    return;
  }
  if (scheduled) return;
  scheduled = true;
  if (config.flushIntervalMs > 0) setTimeout(drain, config.flushIntervalMs);
  else setImmediate(drain);
}

function settle(id: number, action: string, work: () => void): void {
  drain();
  acknowledge();
  if (failure) {
    post({ type: 'failed', id, failure });
    return;
  }
  try {
    work();
    post({ type: 'done', id, length: position });
  } catch (e) {
    failure = failureOf(action, e);
    post({ type: 'failed', id, failure });
  }
}

/** Copies lines of an input straight to the output, after everything written before it. */
function copy(req: CopyRequest): void {
  drain();
  hold();
  slots[COPIES] = (slots[COPIES] as number) + 1;
  if (failure) {
    post({ type: 'failed', id: req.id, failure });
    return;
  }
  copyBuffer ??= createCopyBuffer();
  try {
    const result = copyLines(
      req.fd,
      req.position,
      req.maxBytes,
      req.maxLineBytes,
      copyBuffer.buffer,
      (buf, n) => {
        writeAll([buf.subarray(0, n)], n);
        position += n;
      },
      copyBuffer.count,
      req.tail,
    );
    post({ type: 'copied', id: req.id, length: position, ...result });
  } catch (e) {
    // Only a write can throw: the output has failed (bytes written before stay counted).
    failure = failureOf('write', e);
    post({ type: 'error', failure });
    post({ type: 'failed', id: req.id, failure });
  }
}

port.on('message', (msg: ToWorker) => {
  hold();
  handle(msg);
  releaseIfIdle();
});

function handle(msg: ToWorker): void {
  switch (msg.type) {
    case 'write':
      for (const c of msg.chunks) {
        queue.push(c);
        queued += c.byteLength;
      }
      schedule();
      break;
    case 'copy':
      copy(msg);
      break;
    case 'flush':
      settle(msg.id, 'flush', () => {});
      break;
    case 'sync':
      settle(msg.id, 'sync', () => fsyncSync(fd));
      break;
    case 'close': {
      drain();
      acknowledge();
      const failed = failure;
      queue = [];
      if (failed) post({ type: 'failed', id: msg.id, failure: failed });
      else post({ type: 'done', id: msg.id, length: position });
      port?.close();
      break;
    }
  }
}

// Nothing to open: the main thread did, and wrote at once; from now on messages come here.
post({ type: 'ready' });

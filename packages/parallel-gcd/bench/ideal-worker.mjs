// The worker thread of the "ideal" row of bench/parallel.mjs: started before any timing,
// it takes pairs one at a time from a shared counter, as the main thread does meanwhile.
import { parentPort } from 'node:worker_threads';
import { gcdOf } from '../dist/index.js';

parentPort.on('message', ({ next, pairs }) => {
  let done = 0;
  for (let i = Atomics.add(next, 0, 1); i < pairs.length; i = Atomics.add(next, 0, 1)) {
    gcdOf(pairs[i], 'naive');
    done++;
  }
  parentPort.postMessage(done);
});
parentPort.postMessage('ready');

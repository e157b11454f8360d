import type { Slicer } from '@fanout/executors/core';
import { gcdSteps } from '../algorithms/gcd-of.js';
import type { GcdAlgorithm, GcdPair, GcdValue } from '../types.js';

/**
 * Computes one heavy pair on the calling thread without blocking it: `gcdSteps` runs until
 * the slicer's slice is used up, then the slicer yields to the event loop (and rejects
 * with its signal's reason once aborted), and so on to the end. `signal` stops this one
 * computation too (an async task cancelled on its own, while the run goes on or fails).
 */
export async function gcdInSlices(
  pair: GcdPair,
  algorithm: GcdAlgorithm,
  slicer: Slicer,
  signal?: AbortSignal,
): Promise<GcdValue> {
  const steps = gcdSteps(pair, algorithm);
  const pause = (): boolean => slicer.due;
  while (!steps.advance(pause)) {
    await slicer.yield();
    signal?.throwIfAborted();
  }
  return steps.result;
}

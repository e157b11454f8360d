import {
  boundedWorld,
  buildEngine,
  type EngineByKind,
  type EngineFactory,
  type EngineOptions,
  portableFactories,
} from '../create-engine.js';
import type { EngineKind } from '../engine.js';
import type { Grid } from '../../grid.js';
import type { Pattern } from '../../formats/pattern.js';
import { createWorkersEngine } from './workers-engine.js';

export { EngineWorkerError } from '../../errors.js';
export { createWorkersEngine } from './workers-engine.js';
export type { WorkersEngine, WorkersEngineOptions } from './types.js';

const nodeFactories: Readonly<Partial<Record<EngineKind, EngineFactory>>> = {
  ...portableFactories,
  workers: (world, options) =>
    createWorkersEngine(boundedWorld(world, options), {
      ...(options.rule === undefined ? {} : { rule: options.rule }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    }),
};

/**
 * `createEngine` of the main entry, plus the `workers` kind (Node only): the one call that
 * builds every engine by kind, for command lines and servers.
 *
 * @example
 * import { createEngine } from '@fanout/grid/workers';
 * await using engine = await createEngine(grid, { kind: 'workers', threads: 2 });
 * await engine.step(1000);
 * @throws {WorldTooLargeError} when the world is larger than the engine holds.
 * @throws {EngineWorkerError} when the workers engine cannot start its threads.
 */
export function createEngine<K extends EngineKind>(
  world: Grid | Pattern,
  options: EngineOptions & { readonly kind: K },
): Promise<EngineByKind[K]> {
  return buildEngine(world, options, nodeFactories) as Promise<EngineByKind[K]>;
}

/**
 * Inside a worker (thread or process): load the task module and run what the pool asks of
 * it. The same code serves both runtimes, so an export behaves the same on either.
 */
import { isThenable } from '@fanout/internal/thenable';
import type { SetupCall, TaskBody } from './protocol.js';

/** The task module's namespace. */
export type ModuleExports = Record<string, unknown>;

/** The export `name` of the module at `specifier`; throws a `TypeError` naming both if missing. */
export function exportOf(
  exports: ModuleExports,
  specifier: string,
  name: string,
): (...args: unknown[]) => unknown {
  // A CJS module imported from ESM exposes `module.exports` as `default` (and usually as
  // named exports too); look in both.
  const named = exports[name];
  const fromDefault = (exports.default as ModuleExports | undefined)?.[name];
  const fn = typeof named === 'function' ? named : fromDefault;
  if (typeof fn !== 'function') {
    throw new TypeError(`worker module ${specifier} has no exported function "${name}"`);
  }
  return fn as (...args: unknown[]) => unknown;
}

/** Imports the task module; a module that fails to load fails every task with its error. */
export function loadModule(specifier: string): Promise<ModuleExports> {
  const loading = import(specifier) as Promise<ModuleExports>;
  loading.catch(() => {});
  return loading;
}

/** Runs a call (`export(...args)`) or a chunk (`export(item)` per item, results in order). */
export async function runBody(
  exports: Promise<ModuleExports>,
  specifier: string,
  body: TaskBody,
): Promise<unknown> {
  const fn = exportOf(await exports, specifier, body.exportName);
  if (body.t === 'call') return await fn(...body.args);
  const { items } = body;
  const results: unknown[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const result = fn(items[i]);
    // Only pay for an await when the export is async.
    results[i] = isThenable(result) ? await result : result;
  }
  return results;
}

/** Loads the module and runs `setup` on it; throws what either threw. */
export async function runSetup(
  exports: Promise<ModuleExports>,
  specifier: string,
  setup: SetupCall,
): Promise<void> {
  await exportOf(await exports, specifier, setup.exportName)(...setup.args);
}

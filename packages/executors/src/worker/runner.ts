/**
 * The worker entry of `WorkerPool` (built to dist/worker-runner.cjs). It imports the user's
 * module, calls the requested export, and turns throws into a cloneable envelope so the
 * main thread can rebuild the error with its name, message, stack and cause.
 */
import { isThenable } from '@fanout/internal/thenable';
import type { RunnerMessage } from './protocol.js';
import { envelope } from './serialize-error.js';

type ModuleExports = Record<string, unknown>;

const modules = new Map<string, Promise<ModuleExports>>();

function load(specifier: string): Promise<ModuleExports> {
  let loading = modules.get(specifier);
  if (loading === undefined) {
    loading = import(specifier) as Promise<ModuleExports>;
    modules.set(specifier, loading);
  }
  return loading;
}

async function resolveExport(
  specifier: string,
  exportName: string,
): Promise<(...args: unknown[]) => unknown> {
  const exports = await load(specifier);
  // A CJS module imported from ESM exposes `module.exports` as `default` (and usually as
  // named exports too); look in both.
  const named = exports[exportName];
  const fromDefault = (exports.default as ModuleExports | undefined)?.[exportName];
  const fn = typeof named === 'function' ? named : fromDefault;
  if (typeof fn !== 'function') {
    throw new TypeError(`worker module ${specifier} has no exported function "${exportName}"`);
  }
  return fn as (...args: unknown[]) => unknown;
}

/** Called by piscina for every task. */
export async function runFanoutTask(message: RunnerMessage): Promise<unknown> {
  try {
    const fn = await resolveExport(message.module, message.exportName);
    if ('items' in message) {
      const results: unknown[] = new Array(message.items.length);
      for (let i = 0; i < message.items.length; i++) {
        const result = fn(message.items[i]);
        // Only pay for an await when the export is async.
        results[i] = isThenable(result) ? await result : result;
      }
      return results;
    }
    return await fn(...message.args);
  } catch (error) {
    throw envelope(error);
  }
}

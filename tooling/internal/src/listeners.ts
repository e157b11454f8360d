type SetMaxListeners = (n: number, ...targets: EventTarget[]) => void;

interface NodeProcessLike {
  getBuiltinModule?(id: string): { setMaxListeners?: SetMaxListeners } | undefined;
}

/** Node's `events.setMaxListeners`, looked up at run time so browser bundles never import it. */
const setMaxListeners: SetMaxListeners | undefined = (
  globalThis as { process?: NodeProcessLike }
).process?.getBuiltinModule?.('node:events')?.setMaxListeners;

/**
 * Marks a signal that many tasks listen to at once (every cell, every item of a fan-out), so
 * Node does not print `MaxListenersExceededWarning` past ten listeners. Does nothing where
 * there is no such warning (browsers).
 */
export function allowManyListeners(signal: AbortSignal): void {
  setMaxListeners?.(Number.POSITIVE_INFINITY, signal);
}

/**
 * The events of an `AsyncPool` (an `EventTarget`, so the same code works in browsers).
 * Dispatching costs an `Event` object and a listener walk, so the pool only dispatches a
 * type once something listened to it: a pool nobody listens to pays one bit test.
 */

/** What an event says about the task it concerns. */
export interface TaskInfo {
  /** The task's `name`, when it has one. */
  readonly name: string | undefined;
  /** The task's `id`, when it has one. */
  readonly id: unknown;
  /** The task's priority when the event happened. */
  readonly priority: number;
}

/**
 * An event of an `AsyncPool`. `task` is set on `active`, `completed` and `error`; `detail`
 * is the task's result (`completed`) or its error (`error`), `undefined` otherwise.
 */
export class AsyncPoolEvent extends Event {
  /** The task concerned (`active`, `completed`, `error`), else `undefined`. */
  readonly task: TaskInfo | undefined;
  /** The result (`completed`) or the error (`error`). */
  readonly detail: unknown;

  constructor(type: keyof AsyncPoolEventMap, task?: TaskInfo, detail?: unknown) {
    super(type);
    this.task = task;
    this.detail = detail;
  }
}

/**
 * Event types of an `AsyncPool` and when they fire (synchronously, in this order for a task):
 * - `active`: a task starts (`event.task`).
 * - `empty`: the queue became empty (the last queued task started or was removed); tasks
 *   may still be running. Fires once per transition, not again while it stays empty.
 * - `completed`: a task fulfilled (`event.detail` is its result).
 * - `error`: a task's promise rejected (`event.detail` is the error): it threw, timed out,
 *   was aborted, cleared or cancelled by `close({ cancelPending })`.
 * - `idle`: nothing is queued or running any more, after at least one task.
 */
export interface AsyncPoolEventMap {
  active: AsyncPoolEvent;
  empty: AsyncPoolEvent;
  completed: AsyncPoolEvent;
  error: AsyncPoolEvent;
  idle: AsyncPoolEvent;
}

/** An event listener for `AsyncPool#addEventListener`: a function or a `handleEvent` object. */
export type AsyncPoolListener<E extends Event> =
  | ((event: E) => void)
  | { handleEvent(event: E): void };

/** Options of `AsyncPool#addEventListener` (those of `EventTarget`). */
export interface AsyncPoolListenerOptions {
  /** Remove the listener after its first call. */
  readonly once?: boolean;
  /** Remove the listener when this signal aborts. */
  readonly signal?: AbortSignal;
  readonly capture?: boolean;
  readonly passive?: boolean;
}

/** Bit of each event type in the "someone listened" mask. */
export const EVENT_BITS: Readonly<Record<keyof AsyncPoolEventMap, number>> = {
  active: 1,
  empty: 2,
  completed: 4,
  error: 8,
  idle: 16,
};

/** The mask bit of `type`, 0 for a type that is not a pool event. */
function eventBit(type: string): number {
  return Object.hasOwn(EVENT_BITS, type) ? EVENT_BITS[type as keyof AsyncPoolEventMap] : 0;
}

type EventTargetListener = Parameters<EventTarget['addEventListener']>[1];
type EventTargetOptions = Parameters<EventTarget['addEventListener']>[2];
type EventTargetRemoveOptions = Parameters<EventTarget['removeEventListener']>[2];

/** What `emit` needs to know of a task. */
interface EmittedTask {
  readonly displayName: string | undefined;
  readonly id: unknown;
  readonly priority: number;
}

/**
 * The `EventTarget` side of `AsyncPool`: typed listeners, and the mask of the event types
 * something listened to, so that the pool dispatches only what is heard.
 */
export abstract class PoolEventTarget extends EventTarget {
  /** Bits (`EVENT_BITS`) of the event types a listener was ever added for. */
  protected listened = 0;

  /** Called after a listener was added (the pool re-checks its fast path). */
  protected abstract onListen(): void;

  /** Like `EventTarget#addEventListener`, typed for the pool's events (see `AsyncPoolEventMap`). */
  override addEventListener<K extends keyof AsyncPoolEventMap>(
    type: K,
    listener: AsyncPoolListener<AsyncPoolEventMap[K]> | null,
    options?: boolean | AsyncPoolListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventTargetListener,
    options?: EventTargetOptions,
  ): void;
  override addEventListener(type: string, listener: unknown, options?: unknown): void {
    this.listened |= eventBit(type);
    this.onListen();
    super.addEventListener(type, listener as EventTargetListener, options as EventTargetOptions);
  }

  /** Like `EventTarget#removeEventListener`, typed for the pool's events. */
  override removeEventListener<K extends keyof AsyncPoolEventMap>(
    type: K,
    listener: AsyncPoolListener<AsyncPoolEventMap[K]> | null,
    options?: boolean | AsyncPoolListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventTargetListener,
    options?: EventTargetRemoveOptions,
  ): void;
  override removeEventListener(type: string, listener: unknown, options?: unknown): void {
    super.removeEventListener(
      type,
      listener as EventTargetListener,
      options as EventTargetRemoveOptions,
    );
  }

  /** Dispatch a pool event (callers check `listened` first: this allocates). */
  protected emit(type: keyof AsyncPoolEventMap, task?: EmittedTask, detail?: unknown): void {
    const info =
      task === undefined
        ? undefined
        : { name: task.displayName, id: task.id, priority: task.priority };
    this.dispatchEvent(new AsyncPoolEvent(type, info, detail));
  }
}

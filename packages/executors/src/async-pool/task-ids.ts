/**
 * Queued tasks by their `id` option, for `AsyncPool#setPriority`. Ids need not be unique,
 * so each maps to a set; only queued tasks are in it.
 */
export class TaskIds<Task> {
  readonly #byId = new Map<unknown, Set<Task>>();

  /** The queued tasks with `id` (undefined when there are none). */
  get(id: unknown): ReadonlySet<Task> | undefined {
    return this.#byId.get(id);
  }

  add(id: unknown, task: Task): void {
    const same = this.#byId.get(id);
    if (same === undefined) this.#byId.set(id, new Set([task]));
    else same.add(task);
  }

  delete(id: unknown, task: Task): void {
    const same = this.#byId.get(id);
    if (same === undefined) return;
    same.delete(task);
    if (same.size === 0) this.#byId.delete(id);
  }
}

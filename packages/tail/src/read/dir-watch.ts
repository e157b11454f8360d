import { type FSWatcher, watch } from 'node:fs';

/** `rename`: a name appeared, vanished or moved; `change`: a file's data or attributes changed. */
export type DirEventType = 'rename' | 'change';
/** `followed`: someone listens to this very name (a follower of that file). */
type Listener = (type: DirEventType, name: string | null, followed: boolean) => void;

/**
 * One `fs.watch` per directory, shared by every follower there: an event costs one map
 * lookup, and an idle follower costs nothing (no timer, no `stat`). Listeners subscribe to
 * one name or to every name (glob discovery). When the directory cannot be watched (no
 * inotify left, a filesystem without events) or the watch fails later, `active` is false and
 * the followers poll instead; every listener is woken once so that none sleeps on a watch
 * that died.
 */
class DirWatch {
  readonly dir: string;
  readonly #byName = new Map<string, Set<Listener>>();
  readonly #any = new Set<Listener>();
  #watcher: FSWatcher | undefined;
  active = false;

  constructor(dir: string) {
    this.dir = dir;
    try {
      const w = watch(dir, { persistent: false }, (type, name) => this.#dispatch(type, name));
      w.on('error', () => this.#fail());
      this.#watcher = w;
      this.active = true;
    } catch {
      this.active = false;
    }
  }

  #dispatch(type: string, name: string | Buffer | null): void {
    const t: DirEventType = type === 'rename' ? 'rename' : 'change';
    const n = name === null ? null : String(name);
    if (n === null) {
      // The kernel did not say which file: everyone looks.
      for (const set of this.#byName.values()) for (const l of set) l(t, null, false);
      for (const l of this.#any) l(t, null, false);
      return;
    }
    const set = this.#byName.get(n);
    if (set) for (const l of set) l(t, n, true);
    for (const l of this.#any) l(t, n, set !== undefined);
  }

  #fail(): void {
    this.active = false;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#dispatch('rename', null);
  }

  add(name: string | null, listener: Listener): void {
    if (name === null) {
      this.#any.add(listener);
      return;
    }
    let set = this.#byName.get(name);
    if (!set) {
      set = new Set();
      this.#byName.set(name, set);
    }
    set.add(listener);
  }

  /** Removes a listener; true when nobody listens any more. */
  remove(name: string | null, listener: Listener): boolean {
    if (name === null) this.#any.delete(listener);
    else {
      const set = this.#byName.get(name);
      set?.delete(listener);
      if (set?.size === 0) this.#byName.delete(name);
    }
    return this.#byName.size === 0 && this.#any.size === 0;
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}

const watches = new Map<string, DirWatch>();

/** A subscription to a directory's events. */
export interface DirSubscription {
  /** False when events cannot be relied on: poll instead. */
  readonly active: boolean;
  close(): void;
}

/**
 * Calls `listener` on every event for `name` in `dir` (every name when `name` is null),
 * through the directory's one shared watch.
 */
export function subscribe(dir: string, name: string | null, listener: Listener): DirSubscription {
  let w = watches.get(dir);
  if (!w) {
    w = new DirWatch(dir);
    watches.set(dir, w);
  }
  const watch = w;
  watch.add(name, listener);
  let closed = false;
  return {
    get active() {
      return !closed && watch.active;
    },
    close() {
      if (closed) return;
      closed = true;
      if (watch.remove(name, listener)) {
        watch.close();
        if (watches.get(dir) === watch) watches.delete(dir);
      }
    },
  };
}

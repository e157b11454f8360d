/** Messages from the main thread to the worker runner (structured-cloned). */

/** Call `exportName(...args)` once. */
export interface CallMessage {
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** Call `exportName(item)` for every item of a chunk, results in order. */
export interface ChunkMessage {
  readonly module: string;
  readonly exportName: string;
  readonly items: readonly unknown[];
}

export type RunnerMessage = CallMessage | ChunkMessage;

/** The named export of the runner that piscina calls. */
export const RUNNER_EXPORT = 'runFanoutTask';

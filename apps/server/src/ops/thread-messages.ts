import type { LogLevelName } from '../config/values.js';

/** What the operations thread is started with. */
export interface OpsThreadData {
  readonly host: string;
  readonly port: number;
  readonly webRoot: string;
  readonly logLevel: LogLevelName;
  /** `SharedOpsState.buffer`. */
  readonly state: SharedArrayBuffer;
  /** `/healthz` says `stalled` when the serving loop's heartbeat is older than this. */
  readonly stallAfterMs: number;
  /** Epoch ms when the service started, for `uptimeSeconds`. */
  readonly startedAt: number;
  /** HTTP connections held at most. */
  readonly maxConnections: number;
}

/** Operations thread → serving thread. */
export type FromOpsThread =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'failed'; readonly message: string; readonly code: string | undefined }
  | { readonly type: 'metrics-request'; readonly id: number };

/** Serving thread → operations thread. */
export type ToOpsThread =
  | {
      readonly type: 'metrics';
      readonly id: number;
      readonly contentType: string;
      readonly body: string;
    }
  | { readonly type: 'metrics-error'; readonly id: number; readonly message: string }
  | { readonly type: 'close' };

/**
 * The three probes of the operations endpoint, as pure functions of what the service knows
 * about itself (the terminus / Kubernetes split):
 * - `/livez`: is the process alive? 503 only when the serving loop has stalled, so a
 *   supervisor restarts it; a process that is shutting down is still alive.
 * - `/readyz`: should it get traffic? 503 from the first moment of a shutdown (so load
 *   balancers stop sending during `--shutdown-delay`), while stalled, and in cluster mode
 *   while no worker is listening.
 * - `/healthz`: the original single probe, unchanged: 503 `draining` from the moment a
 *   shutdown starts, 503 `stalled` when the loop has stalled, else 200 `ok`.
 */

/** The probe paths. */
export type ProbeName = 'healthz' | 'readyz' | 'livez';

/** Every probe path, for routing. */
export const PROBES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/livez']);

/** What the service knows about itself when a probe asks. */
export interface HealthSnapshot {
  /** A shutdown has started (the shutdown delay, then the drain). */
  readonly stopping: boolean;
  /** How long the serving loop has not turned, when over the stall limit; else undefined. */
  readonly stalledMs: number | undefined;
  /** Cluster mode: workers listening (a primary with none is not ready). */
  readonly workers?: number;
  readonly uptimeSeconds: number;
  /** More fields for the JSON body (`connections`, `workers`). */
  readonly details: Readonly<Record<string, unknown>>;
}

/** A probe's answer: HTTP status and JSON body. */
export interface ProbeAnswer {
  readonly statusCode: 200 | 503;
  readonly body: { readonly status: string; readonly [field: string]: unknown };
}

/** Answers one probe from a snapshot. */
export function answerProbe(probe: ProbeName, snapshot: HealthSnapshot): ProbeAnswer {
  const base = { uptimeSeconds: snapshot.uptimeSeconds, ...snapshot.details };
  const stalled = snapshot.stalledMs !== undefined;
  const fail = (status: string): ProbeAnswer => ({
    statusCode: 503,
    body: { status, ...base, ...(stalled ? { stalledMs: snapshot.stalledMs } : {}) },
  });
  switch (probe) {
    case 'livez':
      if (stalled) return fail('stalled');
      return { statusCode: 200, body: { status: 'alive', ...base } };
    case 'readyz':
      if (snapshot.stopping) return fail('stopping');
      if (stalled) return fail('stalled');
      if (snapshot.workers === 0) return fail('no-workers');
      return { statusCode: 200, body: { status: 'ready', ...base } };
    case 'healthz':
      if (snapshot.stopping) return fail('draining');
      if (stalled) return fail('stalled');
      return { statusCode: 200, body: { status: 'ok', ...base } };
  }
}

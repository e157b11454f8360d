/**
 * Settles like `work`, or rejects with the signal's reason as soon as `signal` aborts,
 * whichever comes first: for awaiting calls that take no AbortSignal of their own. The
 * abort listener is removed when `work` settles, so a long-lived signal does not collect
 * one listener per call. The caller still stops or closes whatever `work` stands for.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

import { expect } from 'vitest';

/** An error class as the contract sees it: constructible, with a static `code`. */
type ErrorClass = (abstract new (...args: never[]) => Error) & { readonly code?: unknown };

/** Every class among a module's exports that is `Error` or extends it, by export name. */
export function errorClassesOf(api: Readonly<Record<string, unknown>>): Map<string, ErrorClass> {
  const found = new Map<string, ErrorClass>();
  for (const [name, value] of Object.entries(api)) {
    if (typeof value === 'function' && value.prototype instanceof Error) {
      found.set(name, value as ErrorClass);
    }
  }
  return found;
}

/**
 * Checks a package's error contract: every error class it exports has a static `code` of
 * the form `FANOUT_…`, codes are unique, and `samples` (one instance of each class, built by
 * the test with realistic arguments) carry the same `code` on the instance and their class
 * name as `name`. Fails on a class with no sample, so a new error class cannot skip it.
 */
export function expectErrorContract(
  api: Readonly<Record<string, unknown>>,
  samples: readonly Error[],
): void {
  const classes = errorClassesOf(api);
  expect(classes.size, 'the entry exports no error classes').toBeGreaterThan(0);
  const codes = new Map<unknown, string>();
  for (const [exportName, errorClass] of classes) {
    expect(errorClass.code, `${exportName}.code`).toMatch(/^FANOUT_[A-Z0-9_]+$/);
    expect(codes.get(errorClass.code), `${exportName} shares its code`).toBeUndefined();
    codes.set(errorClass.code, exportName);
    const sample = samples.find((error) => error.constructor === errorClass);
    expect(sample, `no sample instance of ${exportName}`).toBeDefined();
    expect((sample as Error & { code?: unknown }).code, `${exportName} instance code`).toBe(
      errorClass.code,
    );
    expect(sample?.name).toBe(exportName);
    expect(sample).toBeInstanceOf(Error);
  }
}

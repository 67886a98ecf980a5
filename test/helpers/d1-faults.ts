/** The real D1 binding, with `batch` failing whenever `fail()` says so (an injected outage). */
export function failingBatches(real: D1Database, fail: () => boolean): D1Database {
  return {
    prepare: (query) => real.prepare(query),
    exec: (query) => real.exec(query),
    dump: () => real.dump(),
    withSession: (constraint) => real.withSession(constraint),
    batch: (statements) => (fail() ? Promise.reject(new Error("D1_ERROR: injected outage")) : real.batch(statements)),
  };
}

/**
 * Cloudflare's published prices (Workers Paid), as of the date below, in US dollars per unit of each
 * metric; the included monthly allowances are not subtracted, so figures are marginal cost at scale.
 */
export const PRICES = {
  date: "2026-11-01",
  currency: "USD",
  perUnit: {
    requests: 0.3 / 1e6,
    cpuMs: 0.02 / 1e6,
    kvReads: 0.5 / 1e6,
    kvWrites: 5 / 1e6,
    kvDeletes: 5 / 1e6,
    kvLists: 5 / 1e6,
    d1Statements: 0,
    d1RowsRead: 0.001 / 1e6,
    d1RowsWritten: 1 / 1e6,
    doRequests: 0.15 / 1e6,
    // Duration is billed per GB-second at 128 MB an object: $12.50 per million GB-s.
    doWallMs: (12.5 / 1e6) * 0.128 * 0.001,
    // Each message is written, read and deleted: three operations at $0.40 a million.
    queueMessages: (0.4 / 1e6) * 3,
    r2ClassA: 4.5 / 1e6,
    r2ClassB: 0.36 / 1e6,
    imageTransforms: 0.5 / 1e3,
    analyticsPoints: 0.25 / 1e6,
    emails: 0,
  },
} as const;

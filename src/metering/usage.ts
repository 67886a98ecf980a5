/** What one request (or queue batch, or job run) used of each billed resource. */
export interface Usage {
  requests: number;
  /** Wall time not spent waiting on bindings (an estimate of CPU locally; production clocks stand still while code runs). */
  cpuMs: number;
  kvReads: number;
  kvWrites: number;
  kvDeletes: number;
  kvLists: number;
  d1Statements: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  doRequests: number;
  doWallMs: number;
  queueMessages: number;
  r2ClassA: number;
  r2ClassB: number;
  imageTransforms: number;
  analyticsPoints: number;
  emails: number;
}

/** Every metric of a usage record, in a stable order. */
export const METRICS = [
  "requests",
  "cpuMs",
  "kvReads",
  "kvWrites",
  "kvDeletes",
  "kvLists",
  "d1Statements",
  "d1RowsRead",
  "d1RowsWritten",
  "doRequests",
  "doWallMs",
  "queueMessages",
  "r2ClassA",
  "r2ClassB",
  "imageTransforms",
  "analyticsPoints",
  "emails",
] as const satisfies readonly (keyof Usage)[];

export type Metric = (typeof METRICS)[number];

/** A usage record with everything at zero. */
export function emptyUsage(): Usage {
  return Object.fromEntries(METRICS.map((m) => [m, 0])) as unknown as Usage;
}

/** Adds `b` into `a`. */
export function addInto(a: Usage, b: Partial<Usage>): Usage {
  for (const m of METRICS) a[m] += b[m] ?? 0;
  return a;
}

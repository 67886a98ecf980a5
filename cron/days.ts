/** The UTC calendar day of a time, as YYYY-MM-DD. */
export const dayOf = (t: Date | number) => new Date(t).toISOString().slice(0, 10);

/** Midnight UTC of a YYYY-MM-DD day, in epoch ms. */
export const startOfDay = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

export const DAY_MS = 86_400_000;

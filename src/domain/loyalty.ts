/** How the shop's points work; staff change them at /admin/loyalty. */
export interface LoyaltySettings {
  enabled: boolean;
  /** Points earned per whole unit of currency spent on goods (after discounts). */
  earnPerUnit: number;
  /** Points are redeemed in steps of this many … */
  redeemStep: number;
  /** … each worth this much off (minor units). */
  stepValue: number;
  /** Days after payment before earned points can be spent (the return window). */
  pendingDays: number;
  /** Days after they become spendable before unspent points expire; 0 never. */
  expiryDays: number;
}

/** Until staff switch points on: 1 point per unit, 100 points = 1.00, pending 30 days, expiring after a year. */
export const DEFAULT_LOYALTY: LoyaltySettings = {
  enabled: false,
  earnPerUnit: 1,
  redeemStep: 100,
  stepValue: 100,
  pendingDays: 30,
  expiryDays: 365,
};

/** Points for goods worth `net` minor units (whole currency units only). */
export const pointsFor = (net: number, exponent: number, s: LoyaltySettings) =>
  Math.floor(Math.max(0, net) / 10 ** exponent) * s.earnPerUnit;

/** What `points` (a whole number of steps) take off, in minor units. */
export const valueOfPoints = (points: number, s: LoyaltySettings) => (points / s.redeemStep) * s.stepValue;

/** The most points that can be spent: whole steps, within the balance and what is left to pay for goods. */
export const redeemablePoints = (balance: number, maxValue: number, s: LoyaltySettings) =>
  Math.max(0, Math.min(Math.floor(balance / s.redeemStep), Math.floor(maxValue / s.stepValue))) * s.redeemStep;

/** What a points ledger entry did. */
export const POINTS_ENTRY_KINDS = ["earn", "confirm", "reverse", "redeem", "restore", "expire", "grant"] as const;
export type PointsEntryKind = (typeof POINTS_ENTRY_KINDS)[number];

/** One movement of a customer's points (signed). */
export interface PointsEntry {
  kind: PointsEntryKind;
  points: number;
  orderId: string | null;
  at: number;
}

/** A customer's points: spendable, pending (waiting out the return window), and their history, newest first. */
export interface PointsAccount {
  available: number;
  pending: number;
  /** When the soonest spendable points expire (epoch ms), if any do. */
  nextExpiry: number | null;
  entries: PointsEntry[];
}

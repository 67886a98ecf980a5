import type { Db } from "../db";
import { mirrorPoints, pointsDue, pointsOf, pointsTotals, readLoyaltySettings, writeLoyaltySettings } from "../db/loyalty-store";
import { findOrder, type OrderLineRow, type OrderRow } from "../db/order-store";
import { allocate } from "../domain/discounts";
import { type LoyaltySettings, type PointsAccount, pointsFor, redeemablePoints, valueOfPoints } from "../domain/loyalty";
import { currencyExponent } from "../domain/money";
import type { Bindings } from "../env";
import { conflict, DomainError, invalid } from "../errors";

const DAY = 86_400_000;

const pointsObject = (env: Bindings, customerId: string) => env.LOYALTY.getByName(customerId);

/** The shop's points rules. */
export const loyaltySettingsOf = (db: Db) => readLoyaltySettings(db);

/** Saves the shop's points rules (new rules apply to points earned from now on). */
export async function saveLoyaltySettings(db: Db, settings: LoyaltySettings, actor: string, now = new Date()): Promise<LoyaltySettings> {
  await writeLoyaltySettings(db, settings, actor, now);
  return readLoyaltySettings(db);
}

/**
 * What an order's goods earn: whole currency units of what was paid for its lines after their
 * discounts (a free-shipping discount is not the goods'); gift cards bought earn nothing (their spending will).
 */
function earnedBy(order: OrderRow, lines: OrderLineRow[], s: LoyaltySettings) {
  const goods = lines.filter((l) => !l.giftCard).reduce((n, l) => n + l.lineTotal - l.discount, 0);
  return pointsFor(goods, currencyExponent(order.currency), s);
}

/**
 * Credits the points a paid order earned to its customer, pending until the return window closes
 * (`pendingDays` after payment). Once per order; nothing while points are switched off.
 */
export async function earnOrderPoints(env: Bindings, db: Db, order: OrderRow, lines: OrderLineRow[], now = new Date()): Promise<number> {
  if (!order.customerId || !order.paidAt) return 0;
  const s = await readLoyaltySettings(db);
  if (!s.enabled) return 0;
  const points = earnedBy(order, lines, s);
  if (points <= 0) return 0;
  const paidAt = order.paidAt.getTime();
  const summary = await pointsObject(env, order.customerId).earn(
    order.id,
    points,
    paidAt + s.pendingDays * DAY,
    s.expiryDays > 0 ? s.expiryDays * DAY : null,
    now.getTime(),
  );
  await mirrorPoints(db, order.customerId, summary, now);
  return points;
}

/**
 * After a refund: lowers what the order earned to what its kept payment earns, and when the order
 * is refunded (or cancelled) in full gives back the points it spent. Safe to repeat.
 */
export async function settleOrderPoints(env: Bindings, db: Db, orderId: string, now = new Date()): Promise<void> {
  const order = await findOrder(db, orderId);
  if (!order?.customerId) return;
  // In a shop that never had points there is nothing to take back (and no object to wake).
  const [account, s] = await Promise.all([pointsOf(db, order.customerId), readLoyaltySettings(db)]);
  if (!account && !s.enabled) return;
  const stub = pointsObject(env, order.customerId);
  // The share of what was paid that is kept decides the share of the first-earned points kept.
  await stub.reduceEarned(orderId, order.paidAt ? Math.max(0, order.total - order.refunded) : 0, order.total, now.getTime());
  if (order.pointsRedeemed > 0 && (order.refunded >= order.total || order.status === "cancelled"))
    await stub.restore(orderId, now.getTime());
  await mirrorPoints(db, order.customerId, await stub.summary(), now);
}

/** Gives back the points an unpaid order spent (cancelled, expired, or its checkout undone); once. */
export async function restoreOrderPoints(env: Bindings, db: Db, orderId: string, now = new Date()): Promise<number> {
  const order = await findOrder(db, orderId);
  if (!order?.customerId || order.pointsRedeemed <= 0) return 0;
  const back = await pointsObject(env, order.customerId).restore(orderId, now.getTime());
  await mirrorPoints(db, order.customerId, back, now);
  return back.restored;
}

/** Spends a customer's points for an order being placed; refused (409 `insufficient_points`) when they have not that many. */
export async function redeemOrderPoints(env: Bindings, db: Db, customerId: string, orderId: string, points: number, now = new Date()) {
  const taken = await pointsObject(env, customerId).redeem(orderId, points, now.getTime());
  if (!taken.ok) {
    throw conflict("insufficient_points", `You have ${taken.available} points to spend.`, { available: taken.available });
  }
  await mirrorPoints(db, customerId, await pointsObject(env, customerId).summary(), now);
}

/** What spending `points` takes off goods worth `lineAmounts` (after other discounts), per line; refused when the points do not fit. */
export function pointsDiscount(points: number, lineAmounts: number[], s: LoyaltySettings): number[] {
  if (!s.enabled) throw new DomainError("unprocessable", "loyalty_disabled", "This shop has no loyalty points.");
  if (!Number.isInteger(points) || points <= 0 || points % s.redeemStep !== 0) {
    throw invalid("invalid_points", `Points are spent in steps of ${s.redeemStep}.`, [
      { field: "loyaltyPoints", in: "json", message: `A multiple of ${s.redeemStep}.` },
    ]);
  }
  const value = valueOfPoints(points, s);
  const goods = lineAmounts.reduce((a, b) => a + b, 0);
  if (value > goods) {
    throw new DomainError(
      "unprocessable",
      "points_exceed_total",
      `Those points are worth more than the goods; at most ${redeemablePoints(Number.MAX_SAFE_INTEGER, goods, s)} can be spent.`,
    );
  }
  return allocate(value, lineAmounts);
}

/** Gives a customer points from staff, spendable now (the key makes a retried request one grant). */
export async function grantPoints(
  env: Bindings,
  db: Db,
  customerId: string,
  points: number,
  key: string,
  now = new Date(),
): Promise<PointsAccount> {
  const s = await readLoyaltySettings(db);
  const summary = await pointsObject(env, customerId).grant(key, points, s.expiryDays > 0 ? s.expiryDays * DAY : null, now.getTime());
  await mirrorPoints(db, customerId, summary, now);
  return pointsObject(env, customerId).read();
}

/** A customer's points and their history, as the account page shows them. */
export async function pointsAccount(env: Bindings, customerId: string, limit = 50): Promise<PointsAccount> {
  return pointsObject(env, customerId).read(limit);
}

/** Customers whose points have something to confirm or expire by `now`, soonest first. */
export const customersWithPointsDue = (db: Db, now: Date, limit: number) => pointsDue(db, now, limit);

/** Confirms a customer's pending points whose return window closed and expires old ones. */
export async function settleCustomerPoints(env: Bindings, db: Db, customerId: string, now: Date) {
  const done = await pointsObject(env, customerId).settle(now.getTime());
  await mirrorPoints(db, customerId, done, now);
  return done;
}

/** How many customers hold points and how many in all, for the admin. */
export const pointsHeld = (db: Db) => pointsTotals(db);

/** Who may spend points in a checkout: a signed-in customer, spending whole steps. */
export function requireSignedIn(customerId: string | null | undefined): string {
  if (!customerId) throw new DomainError("unprocessable", "sign_in_required", "Sign in to spend your points.");
  return customerId;
}

/**
 * Adds spending `points` to the discounts already on some lines (goods only, shipping untouched):
 * the new per-line discounts and the discount's line as lists show it.
 */
export function withPoints(
  points: number,
  lines: { lineTotal: number }[],
  lineDiscounts: number[],
  s: LoyaltySettings,
): { lineDiscounts: number[]; discount: { code: null; title: string; amount: number } } {
  const share = pointsDiscount(
    points,
    lines.map((l, i) => Math.max(0, l.lineTotal - (lineDiscounts[i] ?? 0))),
    s,
  );
  return {
    lineDiscounts: lines.map((_, i) => (lineDiscounts[i] ?? 0) + (share[i] ?? 0)),
    discount: { code: null, title: `${points} points`, amount: valueOfPoints(points, s) },
  };
}

/** The discount id an order's points are recorded under (no discount object behind it). */
export const POINTS_DISCOUNT_ID = "loyalty";

import type { GiftCardDebitOutcome } from "../../durable-objects/gift-card";
import { configOf } from "../config";
import { hex, hmacHex, sha256Hex } from "../crypto";
import type { Db } from "../db";
import {
  type GiftCardRow,
  giftCardById,
  giftCardsByCodeHash,
  giftCardsIssuedBy,
  insertGiftCard,
  listGiftCardRows,
  mirrorGiftCard,
  orderGiftCardsOf,
  planOrderGiftCards,
  setGiftCardExpiry,
  settleOrderGiftCards,
} from "../db/gift-card-store";
import { type OrderLineRow, type OrderRow, orderLinesOf } from "../db/order-store";
import {
  codeFromBytes,
  type GiftCardDetail,
  type GiftCardEntry,
  type GiftCardView,
  lastFour,
  looksLikeGiftCardCode,
  normaliseGiftCardCode,
} from "../domain/gift-cards";
import type { Bindings } from "../env";
import { conflict, DomainError, notFound } from "../errors";
import { log } from "../log";
import { queueEmail } from "./notifications";

const cardObject = (env: Bindings, id: string) => env.GIFT_CARDS.getByName(id);

/**
 * A card's code, derived from its id under the session secret: the database keeps only its hash, and
 * an email that is retried (or a purchase whose issue is repeated) shows the same code again.
 */
export async function giftCardCode(env: Bindings, cardId: string): Promise<string> {
  const secret = configOf(env).sessionSecret;
  for (let round = 0; ; round++) {
    const digest = await hmacHex(secret, `gift-card-code:${cardId}:${round}`);
    const code = codeFromBytes(Uint8Array.from(digest.match(/../g) ?? [], (h) => Number.parseInt(h, 16)));
    if (code) return code;
  }
}

const codeHash = (code: string) => sha256Hex(`gift-card:${normaliseGiftCardCode(code)}`);

const newCardId = () => `gc_${hex(crypto.getRandomValues(new Uint8Array(10)))}`;

function viewOf(row: GiftCardRow, balance = row.balance, disabled = row.disabled): GiftCardView {
  const money = (amount: number) => ({ amount, currency: row.currency });
  return {
    id: row.id,
    last4: row.last4,
    balance: money(balance),
    initialAmount: money(row.initialAmount),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    disabled,
    recipientEmail: row.recipientEmail,
    note: row.note,
    source: row.source,
    orderId: row.orderId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface IssueGiftCard {
  amount: number;
  currency: string;
  expiresAt?: Date | null;
  recipientEmail?: string | null;
  note?: string | null;
  actor: string;
  /** For a bought card: the paying order (and a stable id, so issuing again is a no-op). */
  order?: { orderId: string; cardId: string };
  /** A stable id for a card staff issue (from an idempotency key). */
  id?: string;
}

/**
 * Issues a card: its object takes the balance first (so a listed card always has one), then the
 * card is recorded by its code's hash. Answers the card and its code, which is shown this once
 * (and emailed to the recipient, if any).
 */
export async function issueGiftCard(
  env: Bindings,
  db: Db,
  input: IssueGiftCard,
  now = new Date(),
): Promise<{ card: GiftCardView; code: string }> {
  const id = input.order?.cardId ?? input.id ?? newCardId();
  const code = await giftCardCode(env, id);
  const days = configOf(env).giftCardExpiryDays;
  const expiresAt = input.expiresAt !== undefined ? input.expiresAt : days > 0 ? new Date(now.getTime() + days * 86_400_000) : null;
  const state = await cardObject(env, id).issue(
    input.amount,
    input.currency,
    expiresAt?.getTime() ?? null,
    input.order?.orderId ?? input.actor,
    now.getTime(),
  );
  const row: GiftCardRow = {
    id,
    codeHash: await codeHash(code),
    last4: lastFour(code),
    currency: state.currency,
    initialAmount: input.amount,
    balance: state.balance,
    expiresAt,
    recipientEmail: input.recipientEmail ?? null,
    note: input.note ?? null,
    source: input.order ? "order" : "staff",
    orderId: input.order?.orderId ?? null,
    disabled: false,
    createdBy: input.actor,
    createdAt: now,
    updatedAt: now,
  };
  await insertGiftCard(db, row);
  // Issued before under this id (a repeated request): answer the card as it was issued.
  const stored = (await giftCardById(db, id)) ?? row;
  if (stored.createdAt.getTime() !== row.createdAt.getTime()) return { card: viewOf(stored, state.balance, state.disabled), code };
  if (row.recipientEmail) {
    await queueEmail(
      env,
      db,
      {
        id: `gift_card.issued:${id}`,
        type: "gift_card.issued",
        to: row.recipientEmail,
        data: { cardId: id, amount: input.amount, currency: row.currency, expiresAt: expiresAt?.toISOString() ?? null, note: row.note },
      },
      now,
    );
  }
  return { card: viewOf(row), code };
}

/** The id of the `n`th card a paid order's line bought: stable, so issuing again issues nothing new. */
const purchasedCardId = async (orderId: string, sku: string, n: number) =>
  `gc_${(await sha256Hex(`purchase:${orderId}:${sku}:${n}`)).slice(0, 20)}`;

/**
 * Issues the gift cards a paid order bought: one per unit of each line that was a gift card when the
 * order was placed, its code emailed to the buyer. Safe to repeat (each card's id comes from the
 * order, line and unit).
 */
export async function issuePurchasedGiftCards(
  env: Bindings,
  db: Db,
  order: OrderRow,
  lines: OrderLineRow[],
  now = new Date(),
): Promise<number> {
  if (!order.paidAt) return 0;
  const orderId = order.id;
  let issued = 0;
  for (const line of lines.filter((l) => l.giftCard)) {
    // Each card is worth what was paid for it (a discounted card is worth its discounted price), the
    // line's remainder going to the first cards, so the cards add up to the line exactly.
    const paid = line.lineTotal - line.discount;
    const each = Math.floor(paid / line.quantity);
    for (let n = 0; n < line.quantity; n++) {
      const cardId = await purchasedCardId(orderId, line.sku, n);
      const amount = each + (n < paid - each * line.quantity ? 1 : 0);
      if (amount <= 0) continue;
      await issueGiftCard(
        env,
        db,
        { amount, currency: order.currency, recipientEmail: order.email, actor: "order", order: { orderId, cardId } },
        now,
      );
      issued++;
    }
  }
  return issued;
}

/**
 * The bought cards a refund takes back: for lines, that many of each line's cards still untouched;
 * for the whole order, every card not switched off. Refused (409 `gift_card_used`) when a card to
 * take back has been spent from: its value cannot be refunded too.
 */
export async function cardsToTakeBack(
  env: Bindings,
  db: Db,
  orderId: string,
  wanted: { sku: string; quantity: number }[] | "all",
): Promise<{ cardId: string; last4: string }[]> {
  const lines = (await orderLinesOf(db, orderId)).filter((l) => l.giftCard);
  if (!lines.length) return [];
  const rows = new Map((await giftCardsIssuedBy(db, orderId)).map((r) => [r.id, r]));
  const chosen: { cardId: string; last4: string }[] = [];
  for (const line of lines) {
    const units = wanted === "all" ? line.quantity : (wanted.find((w) => w.sku === line.sku)?.quantity ?? 0);
    if (units <= 0) continue;
    const cards: { cardId: string; last4: string; untouched: boolean }[] = [];
    for (let n = 0; n < line.quantity; n++) {
      const row = rows.get(await purchasedCardId(orderId, line.sku, n));
      const state = row && (await cardObject(env, row.id).read(0));
      if (!row || !state || state.disabled) continue;
      cards.push({ cardId: row.id, last4: row.last4, untouched: state.balance === row.initialAmount });
    }
    const take = wanted === "all" ? cards : cards.filter((c) => c.untouched).slice(0, units);
    const used =
      wanted === "all"
        ? cards.find((c) => !c.untouched)
        : take.length < Math.min(units, cards.length)
          ? cards.find((c) => !c.untouched)
          : undefined;
    if (used) {
      throw conflict(
        "gift_card_used",
        `The gift card ending ${used.last4} bought with this order has been used; its value cannot be refunded.`,
        {
          last4: used.last4,
        },
      );
    }
    chosen.push(...take.map(({ cardId, last4 }) => ({ cardId, last4 })));
  }
  return chosen;
}

/** Empties and switches off bought cards whose purchase was refunded (keyed by the refund: once). */
export async function takeBackCards(env: Bindings, db: Db, cards: { cardId: string }[], refundId: string, now = new Date()) {
  for (const card of cards) {
    const done = await cardObject(env, card.cardId).cancel(refundId, now.getTime());
    await mirrorGiftCard(db, card.cardId, { balance: done.balance, disabled: true }, now);
  }
}

/** A card with its balance and ledger as its object holds them. */
export async function getGiftCard(env: Bindings, db: Db, id: string): Promise<GiftCardDetail> {
  const row = await giftCardById(db, id);
  if (!row) throw notFound("Gift card", id);
  const state = await cardObject(env, id).read();
  if (!state) throw notFound("Gift card", id);
  const money = (amount: number) => ({ amount, currency: row.currency });
  return {
    ...viewOf(row, state.balance, state.disabled),
    ledger: state.ledger.map((e: GiftCardEntry) => ({
      kind: e.kind,
      amount: money(e.amount),
      balance: money(e.balance),
      orderId: e.orderId,
      reference: e.reference,
      at: new Date(e.at).toISOString(),
    })),
  };
}

/** Cards, newest first (balances as last copied from their objects); `last4` finds the card a shopper reads out. */
export async function listGiftCards(db: Db, query: { last4?: string; limit: number }) {
  const rows = await listGiftCardRows(db, { ...query, last4: query.last4?.toUpperCase() });
  return { items: rows.map((r) => viewOf(r)) };
}

/**
 * Staff correct a card: add to or take from its balance (never below zero) and/or change its expiry
 * (`null`: never); the key makes a retried request one change.
 */
export async function adjustGiftCard(
  env: Bindings,
  db: Db,
  id: string,
  change: { amount: number; expiresAt?: Date | null; reason: string; key: string },
  now = new Date(),
): Promise<GiftCardDetail> {
  if (!(await giftCardById(db, id))) throw notFound("Gift card", id);
  const expires = change.expiresAt === undefined ? undefined : (change.expiresAt?.getTime() ?? null);
  const done = await cardObject(env, id).adjust(`${change.key}:${change.reason.slice(0, 80)}`, change.amount, expires, now.getTime());
  if (!done) throw notFound("Gift card", id);
  await mirrorGiftCard(db, id, { balance: done.balance }, now);
  if (change.expiresAt !== undefined) await setGiftCardExpiry(db, id, change.expiresAt, now);
  return getGiftCard(env, db, id);
}

/** Switches a card off (it pays nothing more; what it already paid stays paid) or back on. */
export async function setGiftCardDisabled(env: Bindings, db: Db, id: string, disabled: boolean, now = new Date()): Promise<GiftCardDetail> {
  if (!(await giftCardById(db, id))) throw notFound("Gift card", id);
  await cardObject(env, id).setDisabled(disabled);
  await mirrorGiftCard(db, id, { disabled }, now);
  return getGiftCard(env, db, id);
}

const REFUSAL_TEXT: Record<Exclude<GiftCardDebitOutcome, { ok: true }>["code"], string> = {
  unknown_gift_card: "There is no gift card with this code.",
  gift_card_empty: "This gift card has no balance left.",
  gift_card_expired: "This gift card has expired.",
  gift_card_disabled: "This gift card can no longer be used.",
  currency_mismatch: "This gift card is in another currency than the order.",
};

/** The problem for a card that cannot pay: 409 when spent (it may have gone to another order a moment ago), else 422. */
export function giftCardRefusal(code: keyof typeof REFUSAL_TEXT, last4: string | null): DomainError {
  const extra = last4 ? { last4 } : {};
  if (code === "gift_card_empty") return conflict(code, REFUSAL_TEXT[code], extra);
  return new DomainError("unprocessable", code, REFUSAL_TEXT[code], extra);
}

/** The cards these codes name, in the order given (each once); refused when any is unknown. */
export async function cardsForCodes(db: Db, codes: string[]): Promise<GiftCardRow[]> {
  const wanted = [...new Set(codes.map(normaliseGiftCardCode))];
  for (const code of wanted) if (!looksLikeGiftCardCode(code)) throw giftCardRefusal("unknown_gift_card", null);
  const hashes = await Promise.all(wanted.map(codeHash));
  const rows = await giftCardsByCodeHash(db, hashes);
  const byHash = new Map(rows.map((r) => [r.codeHash, r]));
  return hashes.map((h, i) => {
    const row = byHash.get(h);
    if (!row) throw giftCardRefusal("unknown_gift_card", lastFour(wanted[i] ?? ""));
    return row;
  });
}

/**
 * Pays up to `due` of an order with gift cards, in the order given: each card's object takes what it
 * holds (or what is still due) for the order, at most once per order however often this runs. The
 * cards are recorded on the order before any is charged, so an undo finds every one. A card that
 * cannot pay refuses the whole; what the earlier cards took is given back first.
 */
export async function takeGiftCards(
  env: Bindings,
  db: Db,
  order: { orderId: string; codes: string[]; due: number; currency: string; minimumCharge?: number },
  now = new Date(),
): Promise<{ paid: number; cards: { cardId: string; last4: string; amount: number }[] }> {
  const rows = await cardsForCodes(db, order.codes);
  // What is left for the provider must be nothing or at least what it will charge.
  const min = order.minimumCharge ?? 0;
  let target = order.due;
  if (min > 0) {
    const held = (await Promise.all(rows.map((r) => cardObject(env, r.id).read(0)))).reduce((n, s) => n + (s?.balance ?? 0), 0);
    if (held < order.due && order.due - held < min) target = Math.max(0, order.due - min);
  }
  await planOrderGiftCards(
    db,
    order.orderId,
    rows.map((r) => ({ cardId: r.id, last4: r.last4 })),
  );
  const cards: { cardId: string; last4: string; amount: number }[] = [];
  let left = target;
  for (const row of rows) {
    if (left <= 0) {
      cards.push({ cardId: row.id, last4: row.last4, amount: 0 });
      continue;
    }
    const taken = await cardObject(env, row.id).debit(order.orderId, left, order.currency, now.getTime());
    if (!taken.ok) {
      await releaseOrderGiftCards(env, db, order.orderId, now);
      throw giftCardRefusal(taken.code, row.last4);
    }
    await mirrorGiftCard(db, row.id, { balance: taken.balance }, now);
    cards.push({ cardId: row.id, last4: row.last4, amount: taken.amount });
    left -= taken.amount;
  }
  await settleOrderGiftCards(db, order.orderId, cards, now);
  return { paid: target - Math.max(0, left), cards };
}

/** Gives back everything an unpaid order took from its gift cards (cancelled, expired, or its checkout undone); once. */
export async function releaseOrderGiftCards(env: Bindings, db: Db, orderId: string, now = new Date()): Promise<number> {
  let released = 0;
  for (const card of await orderGiftCardsOf(db, orderId)) {
    const back = await cardObject(env, card.cardId).reverse(orderId, now.getTime());
    if (back.amount > 0) await mirrorGiftCard(db, card.cardId, { balance: back.balance }, now);
    released += back.amount;
  }
  return released;
}

/**
 * Puts `amount` of a refund back onto the order's gift cards, the last applied first, each no more
 * than it paid; the refund's id makes a repeat credit nothing new. Throws if the cards could not take
 * it all (the refund stays pending and is tried again).
 */
export async function creditOrderGiftCards(env: Bindings, db: Db, orderId: string, refundId: string, amount: number, now = new Date()) {
  let left = amount;
  for (const card of (await orderGiftCardsOf(db, orderId)).reverse()) {
    if (left <= 0) break;
    const credited = await cardObject(env, card.cardId).credit(orderId, refundId, left, now.getTime());
    if (credited.amount > 0) await mirrorGiftCard(db, card.cardId, { balance: credited.balance }, now);
    left -= credited.amount;
  }
  if (left > 0) {
    log.error("gift_card.credit_short", { orderId, refundId, short: left });
    throw new Error(`gift cards of ${orderId} took ${amount - left} of ${amount}`);
  }
}

/** Whether the cards still hold what an order recorded them paying (the sweep checks before settling a card-paid order). */
export async function giftCardsStillPay(env: Bindings, db: Db, orderId: string): Promise<boolean> {
  for (const card of await orderGiftCardsOf(db, orderId)) {
    if (card.amount > 0 && (await cardObject(env, card.cardId).heldFor(orderId)) < card.amount) return false;
  }
  return true;
}

/** A card's code for its email, refused if it no longer matches the stored hash (SESSION_SECRET changed since it was issued). */
export async function codeForEmail(env: Bindings, db: Db, cardId: string): Promise<string> {
  const [code, row] = await Promise.all([giftCardCode(env, cardId), giftCardById(db, cardId)]);
  if (!row || (await codeHash(code)) !== row.codeHash) {
    throw new Error(`gift card ${cardId}: its code cannot be derived again (was SESSION_SECRET changed?); issue a new card`);
  }
  return code;
}

/** The id of a card staff issue with an idempotency key: the same key (a refreshed form, a retried request) is the same card. */
export const issuedCardId = async (actor: string, key: string) => `gc_${(await sha256Hex(`issue:${actor}:${key}`)).slice(0, 20)}`;

/** The gift cards an order was paid with, for its views. */
export async function giftCardsOfOrder(db: Db, orderId: string): Promise<{ last4: string; amount: number }[]> {
  return (await orderGiftCardsOf(db, orderId)).filter((c) => c.amount > 0).map((c) => ({ last4: c.last4, amount: c.amount }));
}

/** What the checkout page shows for typed codes before the order: what each card would pay of `due`, or why one cannot. */
export async function previewGiftCards(
  env: Bindings,
  db: Db,
  codes: string[],
  order: { due: number; currency: string },
  now = new Date(),
): Promise<{ cards: { last4: string; balance: number; amount: number }[]; due: number } | { error: string; code: string }> {
  let rows: GiftCardRow[];
  try {
    rows = await cardsForCodes(db, codes);
  } catch (err) {
    if (err instanceof DomainError) return { error: err.detail, code: err.code };
    throw err;
  }
  const cards: { last4: string; balance: number; amount: number }[] = [];
  let left = order.due;
  for (const row of rows) {
    const state = await cardObject(env, row.id).read(0);
    const refusal: keyof typeof REFUSAL_TEXT | null = !state
      ? "unknown_gift_card"
      : state.currency !== order.currency
        ? "currency_mismatch"
        : state.disabled
          ? "gift_card_disabled"
          : state.expiresAt !== null && state.expiresAt <= now.getTime()
            ? "gift_card_expired"
            : state.balance <= 0
              ? "gift_card_empty"
              : null;
    if (refusal || !state) {
      const code = refusal ?? "unknown_gift_card";
      return { error: `${REFUSAL_TEXT[code]} (ending ${row.last4})`, code };
    }
    const amount = Math.min(state.balance, Math.max(0, left));
    cards.push({ last4: row.last4, balance: state.balance, amount });
    left -= amount;
  }
  return { cards, due: Math.max(0, left) };
}

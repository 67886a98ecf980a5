import type { Db } from "../db";
import {
  addressesOf,
  type CustomerRow,
  countByRules,
  customerById,
  customerOrders,
  deleteSegment,
  insertSegment,
  listCustomerRows,
  listSegmentRows,
  liveCustomerByEmail,
  mergeCustomerRows,
  mergedInto,
  orderAddressesOf,
  scoredSegmentCounts,
  segmentBySlug,
  segmentHistory,
} from "../db/customer-store";
import { CUSTOMER_ID_PATTERN, normaliseEmail, RFM_SEGMENTS, type SegmentRules } from "../domain/customer";
import { conflict, invalid, notFound } from "../errors";

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A customer as lists show it: order figures in the shop currency, kept in step as orders are paid and refunded. */
export function customerSummary(r: CustomerRow, currency: string) {
  const money = (amount: number) => ({ amount, currency });
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    ordersCount: r.ordersCount,
    lifetimeValue: money(r.lifetimeValue),
    averageOrderValue: money(r.ordersCount ? Math.round(r.lifetimeValue / r.ordersCount) : 0),
    firstOrderAt: iso(r.firstOrderAt),
    lastOrderAt: iso(r.lastOrderAt),
    segment: r.segment,
  };
}
export type CustomerSummary = ReturnType<typeof customerSummary>;

/** Customers matching a search (email or name) and a segment (scored or staff-defined), most recent buyers first. */
export async function listCustomers(db: Db, currency: string, q: { q?: string; segment?: string; page: number; limit: number }) {
  let filter: { segment?: string; rules?: SegmentRules } = {};
  if (q.segment && (RFM_SEGMENTS as readonly string[]).includes(q.segment)) filter = { segment: q.segment };
  else if (q.segment) {
    const defined = await segmentBySlug(db, q.segment);
    if (!defined) throw notFound("Segment", q.segment);
    filter = { rules: defined.rules };
  }
  const rows = await listCustomerRows(db, { q: q.q, ...filter, limit: q.limit + 1, offset: (q.page - 1) * q.limit });
  return {
    items: rows.slice(0, q.limit).map((r) => customerSummary(r, currency)),
    page: q.page,
    limit: q.limit,
    hasMore: rows.length > q.limit,
  };
}

/** Everything staff see about one customer: figures, consent, orders, addresses, segment history, merged records. */
export async function customerDetail(db: Db, currency: string, id: string) {
  const row = await customerById(db, id);
  if (!row || row.deletedAt) throw notFound("Customer", id);
  if (row.mergedInto) throw conflict("customer_merged", `This customer was merged into ${row.mergedInto}.`, { mergedInto: row.mergedInto });
  const [orders, addresses, shippedTo, history, merged] = await Promise.all([
    customerOrders(db, id, 50),
    addressesOf(db, id),
    orderAddressesOf(db, id),
    segmentHistory(db, id),
    mergedInto(db, id),
  ]);
  return {
    ...customerSummary(row, currency),
    phone: row.phone,
    verifiedAt: iso(row.verifiedAt),
    marketingConsent: row.marketingConsent,
    consentChangedAt: iso(row.consentChangedAt),
    rfm: row.rfm,
    createdAt: row.createdAt.toISOString(),
    orders: orders.map((o) => ({
      id: o.id,
      status: o.status,
      total: { amount: o.total, currency: o.currency },
      refunded: { amount: o.refunded, currency: o.currency },
      createdAt: o.createdAt.toISOString(),
    })),
    savedAddresses: addresses.map((a) => a.address),
    shippingAddresses: [...new Map(shippedTo.map((a) => [JSON.stringify(a), a])).values()],
    segmentHistory: history.map((h) => ({ segment: h.segment, rfm: h.rfm, at: h.at.toISOString() })),
    merged: merged.map((m) => ({ id: m.id, email: m.email })),
  };
}
export type CustomerDetail = Awaited<ReturnType<typeof customerDetail>>;

/** A customer named by id or by email (following merges to the live record). */
async function findCustomer(db: Db, ref: string): Promise<CustomerRow | undefined> {
  if (CUSTOMER_ID_PATTERN.test(ref)) return customerById(db, ref);
  return liveCustomerByEmail(db, normaliseEmail(ref));
}

/**
 * Merges a duplicate (`from`, an id or email) into `survivorId`: its orders, saved addresses, sessions
 * and consent move over and its figures add up, with an audit row, in one batch. Merging the same
 * duplicate again answers the survivor unchanged.
 */
export async function mergeCustomers(
  db: Db,
  currency: string,
  survivorId: string,
  from: string,
  audit: { actor: string; requestId: string | null },
  now = new Date(),
) {
  const survivor = await customerById(db, survivorId);
  if (!survivor || survivor.deletedAt) throw notFound("Customer", survivorId);
  if (survivor.mergedInto) throw conflict("customer_merged", `This customer was merged into ${survivor.mergedInto}.`);
  const loser = await findCustomer(db, from.trim());
  const alreadyMerged =
    loser?.mergedInto === survivorId ||
    (CUSTOMER_ID_PATTERN.test(from) ? false : loser?.id === survivorId && normaliseEmail(from) !== survivor.email);
  if (alreadyMerged) return { customer: await customerDetail(db, currency, survivorId), merged: false };
  if (!loser || loser.deletedAt) throw notFound("Customer", from);
  if (loser.id === survivorId)
    throw invalid("same_customer", "A customer cannot be merged into itself.", [
      { field: "from", in: "json", message: "Name another customer." },
    ]);
  if (loser.mergedInto) throw conflict("customer_merged", `That customer was already merged into ${loser.mergedInto}.`);
  const done = await mergeCustomerRows(db, survivorId, loser.id, audit, now);
  if (!done) {
    const again = await customerById(db, loser.id);
    if (again?.mergedInto !== survivorId)
      throw conflict("customer_changed", "One of the customers changed meanwhile; reload and try again.");
  }
  return { customer: await customerDetail(db, currency, survivorId), merged: done };
}

/** Every segment with how many live customers are in it now: the scored ones, then those staff defined. */
export async function segmentsList(db: Db) {
  const [scored, defined] = await Promise.all([scoredSegmentCounts(db), listSegmentRows(db)]);
  const counts = new Map(scored.map((r) => [r.segment, r.n]));
  return {
    items: [
      ...RFM_SEGMENTS.map((slug) => ({
        slug,
        name: slug.replace(/_/g, " "),
        kind: "scored" as const,
        rules: null,
        customers: counts.get(slug) ?? 0,
      })),
      ...(await Promise.all(
        defined.map(async (d) => ({
          slug: d.slug,
          name: d.name,
          kind: "rules" as const,
          rules: d.rules,
          customers: await countByRules(db, d.rules),
        })),
      )),
    ],
  };
}

/** Defines a segment by rules; its slug may not repeat a scored segment's or another's. */
export async function createSegment(db: Db, input: { slug: string; name: string; rules: SegmentRules }, actor: string, now = new Date()) {
  const taken = () => conflict("segment_exists", `A segment called '${input.slug}' already exists.`);
  if ((RFM_SEGMENTS as readonly string[]).includes(input.slug)) throw taken();
  if (!(await insertSegment(db, { ...input, createdBy: actor, createdAt: now, updatedAt: now }))) throw taken();
  return { slug: input.slug, name: input.name, kind: "rules" as const, rules: input.rules, customers: await countByRules(db, input.rules) };
}

/** Removes a staff-defined segment. */
export async function removeSegment(db: Db, slug: string): Promise<void> {
  if (!(await deleteSegment(db, slug))) throw notFound("Segment", slug);
}

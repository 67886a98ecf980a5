import type { Db } from "../db";
import { openCampaignsFor } from "../db/campaign-store";
import {
  addressesOf,
  type CustomerRow,
  countByRules,
  customerByEmail,
  customerById,
  customerOrders,
  deleteSegment,
  insertSegment,
  listCustomerRows,
  listSegmentRows,
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

/** A segment's filter by its slug: a scored segment, or a staff-defined one's rules (404 when there is none). */
export async function segmentFilter(db: Db, slug: string): Promise<{ segment?: string; rules?: SegmentRules }> {
  if ((RFM_SEGMENTS as readonly string[]).includes(slug)) return { segment: slug };
  const defined = await segmentBySlug(db, slug);
  if (!defined) throw notFound("Segment", slug);
  return { rules: defined.rules };
}

/** Customers matching a search (email or name) and a segment (scored or staff-defined), most recent buyers first. */
export async function listCustomers(db: Db, currency: string, q: { q?: string; segment?: string; page: number; limit: number }) {
  const filter = q.segment ? await segmentFilter(db, q.segment) : {};
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

/** A customer named by id or by their own email (not an email merged into them). */
async function findCustomer(db: Db, ref: string): Promise<CustomerRow | undefined> {
  if (CUSTOMER_ID_PATTERN.test(ref)) return customerById(db, ref);
  return customerByEmail(db, normaliseEmail(ref));
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
  if (!loser || loser.deletedAt) throw notFound("Customer", from);
  if (loser.mergedInto === survivorId) return { customer: await customerDetail(db, currency, survivorId), merged: false };
  if (loser.id === survivorId) {
    throw invalid("same_customer", "A customer cannot be merged into itself.", [
      { field: "from", in: "json", message: "Name another customer." },
    ]);
  }
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

/** Removes a staff-defined segment (409 `segment_in_use` while a campaign not fully sent goes to it). */
export async function removeSegment(db: Db, slug: string): Promise<void> {
  if ((await openCampaignsFor(db, slug)).length) {
    throw conflict("segment_in_use", "A campaign that is not fully sent goes to this segment; send or change it first.");
  }
  if (!(await deleteSegment(db, slug))) throw notFound("Segment", slug);
}

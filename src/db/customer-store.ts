import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SegmentRules } from "../domain/customer";
import type { Address } from "../domain/order";
import type { Db } from "./index";
import {
  auditLog,
  campaignRecipients,
  cartIndex,
  customerAddresses,
  customerLoginLinks,
  customerSegmentHistory,
  customerSessions,
  customers,
  emailReminders,
  emailUnsubscribes,
  notifications,
  orderLines,
  orders,
  reviews,
  segments,
} from "./schema";

export type CustomerRow = typeof customers.$inferSelect;
export type CustomerAddressRow = typeof customerAddresses.$inferSelect;

/** The id of the live customer an email belongs to (following a merge), as SQL. */
export const customerIdByEmail = (email: string) =>
  sql<string>`(select coalesce(${customers.mergedInto}, ${customers.id}) from ${customers} where ${customers.email} = ${email})`;

/**
 * Creates the customer of an email if there is none; fills in name and phone only where they are
 * empty (a guest checkout with someone's email never rewrites what they gave).
 */
export function upsertCustomerStatement(db: Db, c: { id: string; email: string; name: string; phone: string | null; now: Date }) {
  return db
    .insert(customers)
    .values({ id: c.id, email: c.email, name: c.name, phone: c.phone, createdAt: c.now, updatedAt: c.now })
    .onConflictDoUpdate({
      target: customers.email,
      set: {
        name: sql`case when ${customers.name} = '' then excluded.name else ${customers.name} end`,
        phone: sql`coalesce(${customers.phone}, excluded.phone)`,
        updatedAt: c.now,
      },
    });
}

/** Counts a paid order towards its customer (in the batch that marks it paid, so once). */
export function orderPaidStatement(db: Db, orderId: string, now: Date) {
  const order = (col: string) => sql.raw(`(select ${col} from orders where id = `);
  return db
    .update(customers)
    .set({
      ordersCount: sql`${customers.ordersCount} + 1`,
      lifetimeValue: sql`${customers.lifetimeValue} + ${order("total - refunded")}${orderId})`,
      firstOrderAt: sql`coalesce(${customers.firstOrderAt}, ${now.getTime()})`,
      lastOrderAt: sql`max(coalesce(${customers.lastOrderAt}, 0), ${now.getTime()})`,
      updatedAt: now,
    })
    .where(eq(customers.id, sql`${order("customer_id")}${orderId})`));
}

/** Moves a paid order's customer's lifetime value by `delta` (negative for a refund, positive when one failed). */
export function lifetimeValueStatement(db: Db, orderId: string, delta: number, now: Date) {
  return db
    .update(customers)
    .set({ lifetimeValue: sql`${customers.lifetimeValue} + ${delta}`, updatedAt: now })
    .where(
      eq(customers.id, sql`(select ${orders.customerId} from ${orders} where ${orders.id} = ${orderId} and ${orders.paidAt} is not null)`),
    );
}

/** A customer by id (merged and deleted ones included). */
export async function customerById(db: Db, id: string): Promise<CustomerRow | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.id, id)).limit(1);
  return row;
}

/** The customer whose own email this is (merged and deleted ones included). */
export async function customerByEmail(db: Db, email: string): Promise<CustomerRow | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.email, email)).limit(1);
  return row;
}

/** The live customer of an email (following a merge), if any. */
export async function liveCustomerByEmail(db: Db, email: string): Promise<CustomerRow | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerIdByEmail(email)), isNull(customers.deletedAt)))
    .limit(1);
  return row;
}

/** Records a sign-in link (only the token's hash). */
export async function insertLoginLink(db: Db, row: typeof customerLoginLinks.$inferInsert): Promise<void> {
  await db.insert(customerLoginLinks).values(row);
}

/** Uses a sign-in link once: the email it was for, or undefined if unknown, used or expired. */
export async function takeLoginLink(db: Db, tokenHash: string, now: Date): Promise<string | undefined> {
  const [row] = await db
    .update(customerLoginLinks)
    .set({ usedAt: now })
    .where(and(eq(customerLoginLinks.tokenHash, tokenHash), isNull(customerLoginLinks.usedAt), gt(customerLoginLinks.expiresAt, now)))
    .returning({ email: customerLoginLinks.email });
  return row?.email;
}

/** Creates (or finds) the customer of a verified email and marks it verified; answers the live customer's id. */
export async function verifyCustomer(db: Db, id: string, email: string, now: Date): Promise<string> {
  await db.batch([
    upsertCustomerStatement(db, { id, email, name: "", phone: null, now }),
    db.update(customers).set({ verifiedAt: now, updatedAt: now }).where(eq(customers.email, email)),
  ]);
  return (await liveCustomerByEmail(db, email))?.id ?? id;
}

/** Starts a session. */
export async function insertCustomerSession(db: Db, row: Omit<typeof customerSessions.$inferInsert, "revokedAt">): Promise<void> {
  await db.insert(customerSessions).values(row);
}

/** The customer of a live session (not revoked, not expired, not idle too long, account not deleted). */
export async function liveCustomerSession(db: Db, tokenHash: string, now: Date, idleMs: number) {
  const [row] = await db
    .select({ customer: customers, lastSeenAt: customerSessions.lastSeenAt })
    .from(customerSessions)
    .innerJoin(customers, eq(customers.id, customerSessions.customerId))
    .where(
      and(
        eq(customerSessions.tokenHash, tokenHash),
        isNull(customerSessions.revokedAt),
        gt(customerSessions.expiresAt, now),
        gt(customerSessions.lastSeenAt, new Date(now.getTime() - idleMs)),
        isNull(customers.deletedAt),
      ),
    )
    .limit(1);
  return row;
}

/** Marks a session seen now. */
export async function touchCustomerSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(customerSessions).set({ lastSeenAt: now }).where(eq(customerSessions.tokenHash, tokenHash));
}

/** Ends a session. */
export async function revokeCustomerSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(customerSessions).set({ revokedAt: now }).where(eq(customerSessions.tokenHash, tokenHash));
}

/** A customer's orders, newest first. */
export async function customerOrders(db: Db, customerId: string, limit = 100) {
  return db
    .select({
      id: orders.id,
      status: orders.status,
      currency: orders.currency,
      total: orders.total,
      refunded: orders.refunded,
      createdAt: orders.createdAt,
      paidAt: orders.paidAt,
    })
    .from(orders)
    .where(eq(orders.customerId, customerId))
    .orderBy(desc(orders.createdAt))
    .limit(limit);
}

/** Whether an order belongs to a customer. */
export async function orderOfCustomer(db: Db, orderId: string, customerId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.customerId, customerId)))
    .limit(1);
  return row !== undefined;
}

/** A customer's saved addresses, most recently used first. */
export async function addressesOf(db: Db, customerId: string): Promise<CustomerAddressRow[]> {
  return db
    .select()
    .from(customerAddresses)
    .where(eq(customerAddresses.customerId, customerId))
    .orderBy(desc(customerAddresses.lastUsedAt), desc(customerAddresses.id))
    .limit(20);
}

/** Saves an address (or marks the same one used again). */
export function saveAddressStatement(db: Db, customerId: string, fingerprint: string, address: Address, now: Date) {
  return db
    .insert(customerAddresses)
    .values({ customerId, fingerprint, address, lastUsedAt: now, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [customerAddresses.customerId, customerAddresses.fingerprint],
      set: { lastUsedAt: now, updatedAt: now, address },
    });
}

/** Removes a saved address of a customer; whether there was one. */
export async function deleteAddress(db: Db, customerId: string, id: number): Promise<boolean> {
  const rows = await db
    .delete(customerAddresses)
    .where(and(eq(customerAddresses.id, id), eq(customerAddresses.customerId, customerId)))
    .returning({ id: customerAddresses.id });
  return rows.length > 0;
}

/** Changes a customer's profile fields. */
export async function updateCustomer(
  db: Db,
  id: string,
  changes: Partial<Pick<CustomerRow, "name" | "phone" | "marketingConsent" | "consentChangedAt">>,
  now: Date,
): Promise<void> {
  await db
    .update(customers)
    .set({ ...changes, updatedAt: now })
    .where(eq(customers.id, id));
}

/** Everything kept about a customer, for their data export. */
export async function customerData(db: Db, id: string) {
  const [profile, addresses, orderRows, lines, history] = await db.batch([
    db.select().from(customers).where(eq(customers.id, id)),
    db.select().from(customerAddresses).where(eq(customerAddresses.customerId, id)),
    db.select().from(orders).where(eq(orders.customerId, id)).orderBy(asc(orders.createdAt)),
    db
      .select()
      .from(orderLines)
      .where(inArray(orderLines.orderId, db.select({ id: orders.id }).from(orders).where(eq(orders.customerId, id)))),
    db.select().from(customerSegmentHistory).where(eq(customerSegmentHistory.customerId, id)),
  ]);
  return { profile: profile[0], addresses, orders: orderRows, lines, history };
}

const ANONYMOUS_EMAIL = "deleted@example.invalid";

/**
 * Deletes a customer's account: addresses, sessions, links, reminders and reviews go; orders stay for the
 * books with the email, names, street and phone blanked (country, region and postal code stay for
 * tax); emails sent to them lose their text and data; the customer row keeps only its figures.
 */
export async function anonymiseCustomer(db: Db, id: string, now: Date): Promise<boolean> {
  const row = await customerById(db, id);
  if (!row || row.deletedAt) return false;
  const emails = db
    .select({ email: customers.email })
    .from(customers)
    .where(or(eq(customers.id, id), eq(customers.mergedInto, id)));
  const theirOrders = db.select({ id: orders.id }).from(orders).where(eq(orders.customerId, id));
  const theirMail = or(inArray(sql`lower(${notifications.recipient})`, emails), inArray(notifications.orderId, theirOrders));
  await db.batch([
    // Mail not sent yet is dropped (its sender finds nothing and stops); mail sent keeps its row without its content.
    db.delete(notifications).where(and(theirMail, ne(notifications.status, "sent"))),
    db.update(notifications).set({ recipient: ANONYMOUS_EMAIL, text: null, subject: null, data: {}, updatedAt: now }).where(theirMail),
    db
      .update(orders)
      .set({
        email: ANONYMOUS_EMAIL,
        shippingAddress: sql`json_object('name', '', 'line1', '', 'city', '', 'region', json_extract(${orders.shippingAddress}, '$.region'), 'postalCode', json_extract(${orders.shippingAddress}, '$.postalCode'), 'country', json_extract(${orders.shippingAddress}, '$.country'))`,
        updatedAt: now,
      })
      .where(eq(orders.customerId, id)),
    db
      .update(cartIndex)
      .set({ email: null, remindMe: false })
      .where(inArray(sql`lower(${cartIndex.email})`, emails)),
    db.delete(emailReminders).where(inArray(emailReminders.email, emails)),
    db.delete(emailUnsubscribes).where(inArray(emailUnsubscribes.email, emails)),
    db.delete(customerLoginLinks).where(inArray(customerLoginLinks.email, emails)),
    db.delete(customerAddresses).where(eq(customerAddresses.customerId, id)),
    db.delete(customerSessions).where(eq(customerSessions.customerId, id)),
    db.delete(reviews).where(eq(reviews.customerId, id)),
    db.update(campaignRecipients).set({ email: "" }).where(inArray(campaignRecipients.email, emails)),
    db
      .update(customers)
      .set({
        email: sql`'deleted:' || ${customers.id}`,
        name: "",
        phone: null,
        verifiedAt: null,
        marketingConsent: false,
        deletedAt: now,
        updatedAt: now,
      })
      .where(or(eq(customers.id, id), eq(customers.mergedInto, id))),
  ]);
  return true;
}

/** Filters of the customer list. */
export interface CustomerSearch {
  q?: string;
  /** A scored segment, or the rules of a staff-defined one. */
  segment?: string;
  rules?: SegmentRules;
  limit: number;
  offset: number;
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The SQL of a staff-defined segment's rules over the kept figures. */
export function rulesCondition(r: SegmentRules) {
  return and(
    r.minSpent !== undefined ? gte(customers.lifetimeValue, r.minSpent) : undefined,
    r.minOrders !== undefined ? gte(customers.ordersCount, r.minOrders) : undefined,
    r.lastOrderBefore ? lt(customers.lastOrderAt, new Date(dayStart(r.lastOrderBefore))) : undefined,
    r.lastOrderAfter ? gte(customers.lastOrderAt, new Date(dayStart(r.lastOrderAfter))) : undefined,
    r.consent !== undefined ? eq(customers.marketingConsent, r.consent) : undefined,
    r.rfmSegments?.length ? inArray(customers.segment, r.rfmSegments) : undefined,
  );
}

/** How many live customers a staff-defined segment holds now. */
export async function countByRules(db: Db, rules: SegmentRules): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(customers)
    .where(and(isNull(customers.mergedInto), isNull(customers.deletedAt), rulesCondition(rules)));
  return row?.n ?? 0;
}

/** Live customers (not merged away, not deleted) of a scored segment or of a staff-defined one's rules, as SQL. */
export function liveMembers(segment: { segment?: string; rules?: SegmentRules }) {
  return and(
    isNull(customers.mergedInto),
    isNull(customers.deletedAt),
    segment.segment ? eq(customers.segment, segment.segment) : undefined,
    segment.rules ? rulesCondition(segment.rules) : undefined,
  );
}

/** Live customers matching a search (email or name contains `q`), most recent buyers first. */
export async function listCustomerRows(db: Db, s: CustomerSearch) {
  const q = s.q?.trim().toLowerCase();
  const pattern = q ? `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : undefined;
  return db
    .select()
    .from(customers)
    .where(
      and(
        liveMembers(s),
        pattern
          ? or(sql`${customers.email} like ${pattern} escape '\\'`, sql`lower(${customers.name}) like ${pattern} escape '\\'`)
          : undefined,
      ),
    )
    .orderBy(sql`${customers.lastOrderAt} is null`, desc(customers.lastOrderAt), desc(customers.createdAt))
    .limit(s.limit)
    .offset(s.offset);
}

/** Customers merged into this one. */
export async function mergedInto(db: Db, id: string) {
  return db.select({ id: customers.id, email: customers.email }).from(customers).where(eq(customers.mergedInto, id));
}

/** A customer's segment changes, newest first. */
export async function segmentHistory(db: Db, id: string) {
  return db
    .select()
    .from(customerSegmentHistory)
    .where(eq(customerSegmentHistory.customerId, id))
    .orderBy(desc(customerSegmentHistory.at))
    .limit(50);
}

/** Distinct shipping addresses of a customer's orders (most recent first), for staff. */
export async function orderAddressesOf(db: Db, id: string) {
  const rows = await db
    .select({ address: orders.shippingAddress })
    .from(orders)
    .where(eq(orders.customerId, id))
    .orderBy(desc(orders.createdAt))
    .limit(50);
  return rows.map((r) => r.address);
}

/**
 * Merges `loserId` into `survivorId` in one batch: orders, saved addresses and sessions move, figures
 * add up, consent is kept if either gave it (the later change wins), the loser points at the survivor,
 * and the audit row is written. Guarded: refused (false) unless both are live and distinct.
 */
export async function mergeCustomerRows(
  db: Db,
  survivorId: string,
  loserId: string,
  audit: { actor: string; requestId: string | null },
  now: Date,
): Promise<boolean> {
  const loser = sql`(select * from ${customers} where ${customers.id} = ${loserId})`;
  const col = (name: string) => sql.raw(`(select ${name} from customers where id = `);
  const guard = db.run(sql`select json(case when changes() = 1 then '1' else 'stale' end)`);
  try {
    await db.batch([
      db
        .update(customers)
        .set({
          ordersCount: sql`${customers.ordersCount} + ${col("orders_count")}${loserId})`,
          lifetimeValue: sql`${customers.lifetimeValue} + ${col("lifetime_value")}${loserId})`,
          firstOrderAt: sql`min(coalesce(${customers.firstOrderAt}, 9e15), coalesce(${col("first_order_at")}${loserId}), 9e15))`,
          lastOrderAt: sql`max(coalesce(${customers.lastOrderAt}, 0), coalesce(${col("last_order_at")}${loserId}), 0))`,
          name: sql`case when ${customers.name} = '' then ${col("name")}${loserId}) else ${customers.name} end`,
          phone: sql`coalesce(${customers.phone}, ${col("phone")}${loserId}))`,
          marketingConsent: sql`case when coalesce(${col("consent_changed_at")}${loserId}), 0) > coalesce(${customers.consentChangedAt}, 0) then ${col("marketing_consent")}${loserId}) else ${customers.marketingConsent} end`,
          consentChangedAt: sql`max(coalesce(${customers.consentChangedAt}, 0), coalesce(${col("consent_changed_at")}${loserId}), 0))`,
          updatedAt: now,
        })
        .where(
          and(
            eq(customers.id, survivorId),
            isNull(customers.mergedInto),
            isNull(customers.deletedAt),
            sql`exists (select 1 from ${loser} l where l.merged_into is null and l.deleted_at is null and l.id <> ${survivorId})`,
          ),
        ),
      guard,
      db.update(orders).set({ customerId: survivorId }).where(eq(orders.customerId, loserId)),
      db
        .update(customerAddresses)
        .set({ customerId: survivorId })
        .where(
          and(
            eq(customerAddresses.customerId, loserId),
            sql`${customerAddresses.fingerprint} not in (select fingerprint from customer_addresses where customer_id = ${survivorId})`,
          ),
        ),
      db.delete(customerAddresses).where(eq(customerAddresses.customerId, loserId)),
      db.update(customerSessions).set({ customerId: survivorId }).where(eq(customerSessions.customerId, loserId)),
      db.update(customers).set({ mergedInto: survivorId, updatedAt: now }).where(eq(customers.mergedInto, loserId)),
      db
        .update(customers)
        .set({ mergedInto: survivorId, ordersCount: 0, lifetimeValue: 0, marketingConsent: false, segment: null, updatedAt: now })
        .where(eq(customers.id, loserId)),
      db.insert(auditLog).values({
        actor: audit.actor,
        action: "merge",
        entity: "customers",
        entityId: survivorId,
        changes: { merged: loserId },
        requestId: audit.requestId,
        at: now,
      }),
    ] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    return true;
  } catch (err) {
    if (/malformed JSON/i.test(String(err))) return false;
    throw err;
  }
}

/** Deletes sign-in links and sessions that can no longer be used. */
export async function deleteStaleAccountRows(db: Db, before: Date): Promise<number> {
  const [links, sessions] = await db.batch([
    db.delete(customerLoginLinks).where(lt(customerLoginLinks.expiresAt, before)).returning({ id: customerLoginLinks.id }),
    db.delete(customerSessions).where(lt(customerSessions.expiresAt, before)).returning({ id: customerSessions.tokenHash }),
  ]);
  return links.length + sessions.length;
}

/** Staff-defined segments, by name. */
export const listSegmentRows = (db: Db) => db.select().from(segments).orderBy(asc(segments.name));

/** One staff-defined segment. */
export async function segmentBySlug(db: Db, slug: string) {
  const [row] = await db.select().from(segments).where(eq(segments.slug, slug)).limit(1);
  return row;
}

/** Adds a staff-defined segment; false when the slug is taken. */
export async function insertSegment(db: Db, row: typeof segments.$inferInsert): Promise<boolean> {
  const rows = await db.insert(segments).values(row).onConflictDoNothing().returning({ id: segments.id });
  return rows.length === 1;
}

/** Removes a staff-defined segment; whether there was one. */
export async function deleteSegment(db: Db, slug: string): Promise<boolean> {
  return (await db.delete(segments).where(eq(segments.slug, slug)).returning({ id: segments.id })).length === 1;
}

/** Live customers per scored segment. */
export function scoredSegmentCounts(db: Db) {
  return db
    .select({ segment: customers.segment, n: sql<number>`count(*)` })
    .from(customers)
    .where(and(isNull(customers.mergedInto), isNull(customers.deletedAt)))
    .groupBy(customers.segment);
}

/** Sets marketing consent for an email's customer (creating the customer when subscribing), recording when. */
export async function setConsentByEmail(db: Db, email: string, consent: boolean, newId: string, now: Date): Promise<void> {
  const statements: BatchItem<"sqlite">[] = [
    ...(consent ? [upsertCustomerStatement(db, { id: newId, email, name: "", phone: null, now })] : []),
    db
      .update(customers)
      .set({ marketingConsent: consent, consentChangedAt: now, updatedAt: now })
      .where(and(eq(customers.id, customerIdByEmail(email)), sql`${customers.marketingConsent} <> ${consent ? 1 : 0}`)),
    consent
      ? db.delete(emailUnsubscribes).where(eq(emailUnsubscribes.email, email))
      : db.insert(emailUnsubscribes).values({ email, at: now }).onConflictDoNothing(),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

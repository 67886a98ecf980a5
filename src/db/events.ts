import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Provider events: one row per (provider, event id), written in the same D1 batch as the event's effect. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    status: text("status", { enum: ["processed", "ignored", "failed", "replayed"] }).notNull(),
    orderId: text("order_id"),
    message: text("message", { mode: "json" }).$type<unknown>(),
    attempts: integer("attempts").notNull().default(1),
    error: text("error"),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("webhook_events_provider_event_idx").on(t.provider, t.eventId),
    index("webhook_events_status_idx").on(t.status, t.id),
  ],
);

/** The email log: one row per notification (its id is the dedup key), so a redelivered job never sends twice. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject"),
    status: text("status", { enum: ["queued", "sending", "sent", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    error: text("error"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The order an email is about, if any (from its data), for the order page and the log's filter. */
    orderId: text("order_id"),
    /** The plain-text body as sent. */
    text: text("text"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("notifications_status_idx").on(t.status, t.createdAt),
    index("notifications_order_idx").on(t.orderId, t.createdAt),
    index("notifications_recipient_idx").on(t.recipient, t.createdAt),
  ],
);

/** Carrier tracking updates per order. */
export const shipmentEvents = sqliteTable(
  "shipment_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id").notNull(),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    status: text("status").notNull(),
    location: text("location"),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
    eventId: text("event_id").notNull(),
  },
  (t) => [
    index("shipment_events_order_idx").on(t.orderId, t.occurredAt),
    uniqueIndex("shipment_events_carrier_event_idx").on(t.carrier, t.eventId),
  ],
);

import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ShippingRate } from "../domain/shipping";
import { timestamps } from "./columns";

/** Where a set of shipping methods applies: countries (`US`) or regions of them (`US-CA`); `*` is the rest of the world. */
export const shippingZones = sqliteTable("shipping_zones", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  areas: text("areas", { mode: "json" }).$type<string[]>().notNull(),
  position: integer("position").notNull().default(0),
  ...timestamps,
});

/** A way to ship within a zone, priced flat, by weight bands, or free over a subtotal. */
export const shippingMethods = sqliteTable(
  "shipping_methods",
  {
    id: text("id").primaryKey(),
    zoneId: integer("zone_id")
      .notNull()
      .references(() => shippingZones.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    rate: text("rate", { mode: "json" }).$type<ShippingRate>().notNull(),
    minDays: integer("min_days"),
    maxDays: integer("max_days"),
    position: integer("position").notNull().default(0),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [index("shipping_methods_zone_idx").on(t.zoneId, t.position)],
);

/** Tax in basis points per country, optionally per region (US states); included in prices or added to them. */
export const taxRates = sqliteTable(
  "tax_rates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    country: text("country").notNull(),
    /** A region code (`CA` for California) or `*` for the whole country. */
    region: text("region").notNull().default("*"),
    name: text("name").notNull(),
    rateBps: integer("rate_bps").notNull(),
    /** Prices include this tax (shown as "incl. VAT") rather than having it added. */
    inclusive: integer("inclusive", { mode: "boolean" }).notNull().default(false),
    /** Whether shipping is taxed too. */
    taxShipping: integer("tax_shipping", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex("tax_rates_place_idx").on(t.country, t.region)],
);

import { asc, eq, ne } from "drizzle-orm";
import type { ShippingRate } from "../domain/shipping";
import type { Db } from "./index";
import { shippingMethods, shippingZones, taxRates } from "./schema";

export type ZoneRow = typeof shippingZones.$inferSelect;
export type MethodRow = typeof shippingMethods.$inferSelect;
export type TaxRateRow = typeof taxRates.$inferSelect;

/** Every zone with its methods (active or not), in shop order. */
export async function zonesWithMethods(db: Db): Promise<(ZoneRow & { methods: MethodRow[] })[]> {
  const [zones, methods] = await Promise.all([
    db.select().from(shippingZones).orderBy(asc(shippingZones.position), asc(shippingZones.id)),
    db.select().from(shippingMethods).orderBy(asc(shippingMethods.position), asc(shippingMethods.id)),
  ]);
  return zones.map((z) => ({ ...z, methods: methods.filter((m) => m.zoneId === z.id) }));
}

/** The tax rows of a country: the country-wide one (`*`) and any per region. */
export async function taxRowsFor(db: Db, country: string): Promise<TaxRateRow[]> {
  return db.select().from(taxRates).where(eq(taxRates.country, country));
}

/** Every tax rate, by country then region. */
export async function listTaxRates(db: Db): Promise<TaxRateRow[]> {
  return db.select().from(taxRates).orderBy(asc(taxRates.country), asc(taxRates.region));
}

export interface ZoneInput {
  name: string;
  areas: string[];
  position?: number;
}

/** Creates a zone; returns its id. */
export async function insertZone(db: Db, input: ZoneInput, now: Date): Promise<number> {
  const [row] = await db
    .insert(shippingZones)
    .values({ ...input, position: input.position ?? 0, createdAt: now, updatedAt: now })
    .returning({ id: shippingZones.id });
  return row?.id as number;
}

/** Changes a zone; false if there is none with this id. */
export async function updateZone(db: Db, id: number, patch: Partial<ZoneInput>, now: Date): Promise<boolean> {
  const rows = await db
    .update(shippingZones)
    .set({ ...patch, updatedAt: now })
    .where(eq(shippingZones.id, id))
    .returning({ id: shippingZones.id });
  return rows.length === 1;
}

/** Deletes a zone and its methods; false if there is none. */
export async function deleteZone(db: Db, id: number): Promise<boolean> {
  return (await db.delete(shippingZones).where(eq(shippingZones.id, id)).returning({ id: shippingZones.id })).length === 1;
}

export interface MethodInput {
  id: string;
  zoneId: number;
  name: string;
  rate: ShippingRate;
  minDays?: number | null;
  maxDays?: number | null;
  position?: number;
  active?: boolean;
}

/** Creates a method. */
export async function insertMethod(db: Db, input: MethodInput, now: Date): Promise<void> {
  await db.insert(shippingMethods).values({ ...input, createdAt: now, updatedAt: now });
}

/** Changes a method; false if there is none with this id. */
export async function updateMethod(db: Db, id: string, patch: Partial<Omit<MethodInput, "id">>, now: Date): Promise<boolean> {
  const rows = await db
    .update(shippingMethods)
    .set({ ...patch, updatedAt: now })
    .where(eq(shippingMethods.id, id))
    .returning({ id: shippingMethods.id });
  return rows.length === 1;
}

/** Deletes a method; false if there is none. */
export async function deleteMethod(db: Db, id: string): Promise<boolean> {
  return (await db.delete(shippingMethods).where(eq(shippingMethods.id, id)).returning({ id: shippingMethods.id })).length === 1;
}

/** Whether another zone already covers one of `areas`. */
export async function zonesCovering(db: Db, areas: string[], exceptId?: number): Promise<string[]> {
  const zones = await db
    .select({ areas: shippingZones.areas })
    .from(shippingZones)
    .where(exceptId === undefined ? undefined : ne(shippingZones.id, exceptId));
  const taken = new Set(zones.flatMap((z) => z.areas));
  return areas.filter((a) => taken.has(a));
}

export interface TaxRateInput {
  country: string;
  region?: string;
  name: string;
  rateBps: number;
  inclusive?: boolean;
  taxShipping?: boolean;
}

/** Creates or replaces the rate of a country (or one of its regions). */
export async function upsertTaxRate(db: Db, input: TaxRateInput, now: Date): Promise<TaxRateRow> {
  const values = { ...input, region: input.region ?? "*", createdAt: now, updatedAt: now };
  const [row] = await db
    .insert(taxRates)
    .values(values)
    .onConflictDoUpdate({
      target: [taxRates.country, taxRates.region],
      set: { name: values.name, rateBps: values.rateBps, inclusive: values.inclusive, taxShipping: values.taxShipping, updatedAt: now },
    })
    .returning();
  return row as TaxRateRow;
}

/** Deletes a tax rate; false if there is none. */
export async function deleteTaxRate(db: Db, id: number): Promise<boolean> {
  return (await db.delete(taxRates).where(eq(taxRates.id, id)).returning({ id: taxRates.id })).length === 1;
}

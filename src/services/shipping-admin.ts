import type { Db } from "../db";
import {
  deleteMethod,
  deleteTaxRate,
  deleteZone,
  insertMethod,
  insertZone,
  listTaxRates,
  type MethodInput,
  type TaxRateInput,
  updateMethod,
  updateZone,
  upsertTaxRate,
  type ZoneInput,
  zonesCovering,
  zonesWithMethods,
} from "../db/shipping-store";
import { conflict, notFound, uniqueViolation } from "../errors";

/** Zones with their methods, for staff. */
export const listZones = (db: Db) => zonesWithMethods(db);

async function assertAreasFree(db: Db, areas: string[], exceptId?: number) {
  const taken = await zonesCovering(db, areas, exceptId);
  if (taken.length) throw conflict("area_taken", `Already covered by another zone: ${taken.join(", ")}.`, { areas: taken });
}

/** Creates a zone; an area may belong to one zone only. */
export async function createZone(db: Db, input: ZoneInput, now = new Date()) {
  await assertAreasFree(db, input.areas);
  const id = await insertZone(db, input, now);
  return (await zonesWithMethods(db)).find((z) => z.id === id);
}

/** Renames, re-orders or re-draws a zone. */
export async function changeZone(db: Db, id: number, patch: Partial<ZoneInput>, now = new Date()) {
  if (patch.areas) await assertAreasFree(db, patch.areas, id);
  if (!(await updateZone(db, id, patch, now))) throw notFound("Shipping zone", id);
  return (await zonesWithMethods(db)).find((z) => z.id === id);
}

/** Deletes a zone and its methods (orders keep the method name they were placed with). */
export async function removeZone(db: Db, id: number) {
  if (!(await deleteZone(db, id))) throw notFound("Shipping zone", id);
}

/** Adds a method to a zone. */
export async function createMethod(db: Db, input: MethodInput, now = new Date()) {
  const zones = await zonesWithMethods(db);
  if (!zones.some((z) => z.id === input.zoneId)) throw notFound("Shipping zone", input.zoneId);
  try {
    await insertMethod(db, input, now);
  } catch (err) {
    if (uniqueViolation(err)) throw conflict("method_taken", `A shipping method '${input.id}' already exists.`);
    throw err;
  }
  return (await zonesWithMethods(db)).flatMap((z) => z.methods).find((m) => m.id === input.id);
}

/** Changes a method's name, price, delivery days, order or whether it is offered. */
export async function changeMethod(db: Db, id: string, patch: Partial<Omit<MethodInput, "id">>, now = new Date()) {
  if (patch.zoneId !== undefined && !(await zonesWithMethods(db)).some((z) => z.id === patch.zoneId))
    throw notFound("Shipping zone", patch.zoneId);
  if (!(await updateMethod(db, id, patch, now))) throw notFound("Shipping method", id);
  return (await zonesWithMethods(db)).flatMap((z) => z.methods).find((m) => m.id === id);
}

/** Deletes a method. */
export async function removeMethod(db: Db, id: string) {
  if (!(await deleteMethod(db, id))) throw notFound("Shipping method", id);
}

/** Every tax rate. */
export const taxRates = (db: Db) => listTaxRates(db);

/** Sets the rate of a country or region (replacing an earlier one). */
export const setTaxRate = (db: Db, input: TaxRateInput, now = new Date()) => upsertTaxRate(db, input, now);

/** Deletes a tax rate. */
export async function removeTaxRate(db: Db, id: number) {
  if (!(await deleteTaxRate(db, id))) throw notFound("Tax rate", id);
}

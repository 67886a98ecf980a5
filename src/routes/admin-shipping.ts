import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { COUNTRY_CODES } from "../countries";
import { SLUG_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import {
  ShippingMethodSchema,
  ShippingZoneListSchema,
  ShippingZoneSchema,
  TaxRateListSchema,
  TaxRateSchema,
} from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import {
  changeMethod,
  changeZone,
  createMethod,
  createZone,
  listZones,
  removeMethod,
  removeTaxRate,
  removeZone,
  setTaxRate,
  taxRates,
} from "../services/shipping-admin";
import { validate } from "../validation";
import { idParam } from "./catalog-params";

const minor = z.number().int("Use integer minor units (cents).").min(0).max(100_000_00);
const country = z.string().refine((c) => COUNTRY_CODES.has(c), "Use an ISO 3166-1 alpha-2 code such as US.");
const area = z
  .string()
  .regex(/^(\*|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/, "Use a country (US), a region of one (US-CA), or * for the rest of the world.")
  .refine((a) => a === "*" || COUNTRY_CODES.has(a.slice(0, 2)), "Unknown country code.");
const rate = z.discriminatedUnion("type", [
  z.object({ type: z.literal("flat"), amount: minor }).strict(),
  z
    .object({
      type: z.literal("weight"),
      bands: z
        .array(z.object({ upToGrams: z.number().int().min(1).max(1_000_000), amount: minor }).strict())
        .min(1)
        .max(20),
    })
    .strict(),
  z.object({ type: z.literal("free_over"), amount: minor, threshold: minor }).strict(),
]);
const zoneFields = {
  name: z.string().trim().min(1).max(100),
  areas: z
    .array(area)
    .min(1)
    .max(300)
    .refine((a) => new Set(a).size === a.length, "List each area once."),
  position: z.number().int().min(0).max(10_000).optional(),
};
const days = z.number().int().min(0).max(365).nullable().optional();
const methodFields = {
  zoneId: z.number().int().positive(),
  name: z.string().trim().min(1).max(100),
  rate,
  minDays: days,
  maxDays: days,
  position: z.number().int().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
};
const methodId = z.string().max(64).regex(SLUG_PATTERN, "Lowercase letters, digits and single hyphens.");
const atLeastOne = (o: object) => Object.keys(o).length > 0;

const deleted = { 204: { description: "Deleted." }, ...problems(404) };

const doc = {
  zones: describeRoute({
    tags: ["Shipping"],
    summary: "List shipping zones",
    responses: { 200: jsonBody("Every zone with its methods, in shop order.", ShippingZoneListSchema) },
  }),
  createZone: describeRoute({
    tags: ["Shipping"],
    summary: "Create a shipping zone",
    description: "An area (`US`, `US-CA`, or `*` for the rest of the world) belongs to one zone only.",
    responses: { 201: jsonBody("The zone.", ShippingZoneSchema), ...problems(409) },
  }),
  changeZone: describeRoute({
    tags: ["Shipping"],
    summary: "Change a shipping zone",
    responses: { 200: jsonBody("The zone after the change.", ShippingZoneSchema), ...problems(404, 409) },
  }),
  deleteZone: describeRoute({ tags: ["Shipping"], summary: "Delete a zone and its methods", responses: deleted }),
  createMethod: describeRoute({
    tags: ["Shipping"],
    summary: "Add a shipping method to a zone",
    description: "Priced flat, by weight bands, or free over a subtotal; amounts in minor units of the shop currency.",
    responses: { 201: jsonBody("The method.", ShippingMethodSchema), ...problems(404, 409) },
  }),
  changeMethod: describeRoute({
    tags: ["Shipping"],
    summary: "Change a shipping method",
    responses: { 200: jsonBody("The method after the change.", ShippingMethodSchema), ...problems(404) },
  }),
  deleteMethod: describeRoute({ tags: ["Shipping"], summary: "Delete a shipping method", responses: deleted }),
  taxRates: describeRoute({
    tags: ["Shipping"],
    summary: "List tax rates",
    responses: { 200: jsonBody("Every tax rate, by country then region.", TaxRateListSchema) },
  }),
  setTaxRate: describeRoute({
    tags: ["Shipping"],
    summary: "Set a tax rate",
    description: "For a country, or one of its regions; replaces an earlier rate for the same place.",
    responses: { 201: jsonBody("The rate.", TaxRateSchema) },
  }),
  deleteTaxRate: describeRoute({ tags: ["Shipping"], summary: "Delete a tax rate", responses: deleted }),
};

/** Admin: shipping zones and methods, and tax rates (what checkout quotes from). */
export const adminShipping = new Hono<AppEnv>()
  .get("/shipping/zones", doc.zones, async (c) => c.json({ items: await listZones(requestDb(c)) }))
  .post("/shipping/zones", doc.createZone, validate("json", z.object(zoneFields).strict()), async (c) =>
    c.json(await createZone(requestDb(c), c.req.valid("json")), 201),
  )
  .patch(
    "/shipping/zones/:id",
    doc.changeZone,
    validate("param", idParam),
    validate("json", z.object(zoneFields).partial().strict().refine(atLeastOne, "Send at least one field to change.")),
    async (c) => c.json(await changeZone(requestDb(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .delete("/shipping/zones/:id", doc.deleteZone, validate("param", idParam), async (c) => {
    await removeZone(requestDb(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .post("/shipping/methods", doc.createMethod, validate("json", z.object({ id: methodId, ...methodFields }).strict()), async (c) =>
    c.json(await createMethod(requestDb(c), c.req.valid("json")), 201),
  )
  .patch(
    "/shipping/methods/:id",
    doc.changeMethod,
    validate("param", z.object({ id: methodId })),
    validate("json", z.object(methodFields).partial().strict().refine(atLeastOne, "Send at least one field to change.")),
    async (c) => c.json(await changeMethod(requestDb(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .delete("/shipping/methods/:id", doc.deleteMethod, validate("param", z.object({ id: methodId })), async (c) => {
    await removeMethod(requestDb(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .get("/tax-rates", doc.taxRates, async (c) => c.json({ items: await taxRates(requestDb(c)) }))
  .post(
    "/tax-rates",
    doc.setTaxRate,
    validate(
      "json",
      z
        .object({
          country,
          region: z
            .string()
            .regex(/^[A-Z0-9]{1,3}$/, "A region code such as CA.")
            .optional(),
          name: z.string().trim().min(1).max(40),
          rateBps: z.number().int().min(0).max(10_000),
          inclusive: z.boolean().optional(),
          taxShipping: z.boolean().optional(),
        })
        .strict(),
    ),
    async (c) => c.json(await setTaxRate(requestDb(c), c.req.valid("json")), 201),
  )
  .delete("/tax-rates/:id", doc.deleteTaxRate, validate("param", idParam), async (c) => {
    await removeTaxRate(requestDb(c), c.req.valid("param").id);
    return c.body(null, 204);
  });

import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import { LoyaltySettingsSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { loyaltySettingsOf, saveLoyaltySettings } from "../services/loyalty";
import { validate } from "../validation";

/** The shop's points rules as staff set them. */
export const loyaltyBody = z
  .object({
    enabled: z.boolean(),
    earnPerUnit: z.int().min(0).max(1000),
    redeemStep: z.int().min(1).max(1_000_000),
    stepValue: z.int().min(1).max(1_000_000),
    pendingDays: z.int().min(0).max(365),
    expiryDays: z.int().min(0).max(3650),
  })
  .strict();

/** Admin loyalty: the points rules. */
export const adminLoyalty = new Hono<AppEnv>()
  .get(
    "/",
    describeRoute({
      tags: ["Loyalty"],
      summary: "Get the points rules",
      responses: { 200: jsonBody("The rules (switched off until saved).", LoyaltySettingsSchema) },
    }),
    async (c) => c.json(await loyaltySettingsOf(requestDb(c))),
  )
  .put(
    "/",
    describeRoute({
      tags: ["Loyalty"],
      summary: "Set the points rules",
      description:
        "Points earned per whole unit of currency on goods after discounts; spent in steps of `redeemStep` points, each worth `stepValue` minor units; pending `pendingDays` after payment (the return window); expiring `expiryDays` after they became spendable (0 never). New rules apply to points earned from now on.",
      responses: { 200: jsonBody("The rules.", LoyaltySettingsSchema), ...problems(400) },
    }),
    validate("json", loyaltyBody),
    async (c) => c.json(await saveLoyaltySettings(requestDb(c), c.req.valid("json"), adminActor(c))),
  );

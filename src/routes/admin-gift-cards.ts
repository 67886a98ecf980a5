import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import { GiftCardListSchema, GiftCardSchema, IssuedGiftCardSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { adjustGiftCard, getGiftCard, issuedCardId, issueGiftCard, listGiftCards, setGiftCardDisabled } from "../services/gift-cards";
import { shopOf } from "../services/shop";
import { validate } from "../validation";

const giftCardIdParam = z.object({ id: z.string().regex(/^gc_[0-9a-f]{20}$/, "Not a gift card id.") });

/** A card staff issue: an amount in minor units of the shop currency, optionally emailed to a recipient. */
export const giftCardBody = z
  .object({
    amount: z.int("Minor units, a whole number.").min(1).max(100_000_000),
    recipientEmail: z.email("Enter a valid email address.").max(254).optional(),
    note: z.string().trim().max(500).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => !b.expiresAt || Date.parse(b.expiresAt) > Date.now(), { path: ["expiresAt"], message: "Must be in the future." });

/** Admin gift cards: issue (code shown once), list, read with ledger, switch off and on. */
export const adminGiftCards = new Hono<AppEnv>()
  .get(
    "/",
    describeRoute({
      tags: ["Gift cards"],
      summary: "List gift cards",
      description: "Newest first; `?last4=` finds a card by the end of its code.",
      responses: { 200: jsonBody("Gift cards (balances as last recorded).", GiftCardListSchema) },
    }),
    validate(
      "query",
      z.object({
        last4: z
          .string()
          .regex(/^[A-Za-z0-9]{4}$/, "Four letters or digits.")
          .optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    ),
    async (c) => c.json(await listGiftCards(requestDb(c), c.req.valid("query"))),
  )
  .post(
    "/",
    describeRoute({
      tags: ["Gift cards"],
      summary: "Issue a gift card",
      description:
        "`amount` in minor units of the shop currency. The answer is the only place the code is shown (it is stored hashed); with `recipientEmail` the code is also emailed. Expiry: `expiresAt`, else `GIFT_CARD_EXPIRY_DAYS` (default never). With an `Idempotency-Key` header a retried request is the same card (same code), never a second one.",
      responses: { 201: jsonBody("The card and its code.", IssuedGiftCardSchema), ...problems(400) },
    }),
    validate("json", giftCardBody),
    async (c) => {
      const b = c.req.valid("json");
      const key = c.req.header("Idempotency-Key")?.trim().slice(0, 255);
      const { card, code } = await issueGiftCard(c.env, requestDb(c), {
        ...(key ? { id: await issuedCardId(adminActor(c), key) } : {}),
        amount: b.amount,
        currency: shopOf(c.env).currency,
        recipientEmail: b.recipientEmail ?? null,
        note: b.note ?? null,
        ...(b.expiresAt ? { expiresAt: new Date(b.expiresAt) } : {}),
        actor: adminActor(c),
      });
      c.header("Cache-Control", "no-store");
      return c.json({ ...card, code }, 201);
    },
  )
  .get(
    "/:id",
    describeRoute({
      tags: ["Gift cards"],
      summary: "Get a gift card",
      responses: { 200: jsonBody("The card, its balance and ledger.", GiftCardSchema), ...problems(404) },
    }),
    validate("param", giftCardIdParam),
    async (c) => c.json(await getGiftCard(c.env, requestDb(c), c.req.valid("param").id)),
  )
  .post(
    "/:id/adjust",
    describeRoute({
      tags: ["Gift cards"],
      summary: "Adjust a gift card",
      description:
        "Adds to (positive `amount`) or takes from (negative) the balance, never below zero, and/or changes `expiresAt` (null: never expires); `reason` goes into the ledger. With an `Idempotency-Key` header a retried request changes it once.",
      responses: { 200: jsonBody("The card, its balance and ledger.", GiftCardSchema), ...problems(400, 404) },
    }),
    validate("param", giftCardIdParam),
    validate(
      "json",
      z
        .object({
          amount: z.int("Minor units, a whole number.").min(-100_000_000).max(100_000_000).default(0),
          expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
          reason: z.string().trim().min(1).max(200),
        })
        .strict()
        .refine((b) => b.amount !== 0 || b.expiresAt !== undefined, {
          path: ["amount"],
          message: "Change the amount, the expiry, or both.",
        }),
    ),
    async (c) => {
      const b = c.req.valid("json");
      const key = c.req.header("Idempotency-Key")?.trim().slice(0, 200) || crypto.randomUUID();
      return c.json(
        await adjustGiftCard(c.env, requestDb(c), c.req.valid("param").id, {
          amount: b.amount,
          ...(b.expiresAt !== undefined ? { expiresAt: b.expiresAt === null ? null : new Date(b.expiresAt) } : {}),
          reason: b.reason,
          key: `${adminActor(c)}:${key}`,
        }),
      );
    },
  )
  .post(
    "/:id/:state{enable|disable}",
    describeRoute({
      tags: ["Gift cards"],
      summary: "Switch a gift card off or on",
      description: "A disabled card pays nothing more; what it already paid stays paid and refunds still return to it.",
      responses: { 200: jsonBody("The card.", GiftCardSchema), ...problems(404) },
    }),
    validate("param", giftCardIdParam.extend({ state: z.enum(["enable", "disable"]) })),
    async (c) => {
      const { id, state } = c.req.valid("param");
      return c.json(await setGiftCardDisabled(c.env, requestDb(c), id, state === "disable"));
    },
  );

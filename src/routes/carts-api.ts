import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { SKU_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { invalid } from "../errors";
import { jsonBody, problems } from "../openapi/responses";
import { CartSchema, CheckoutAnswerSchema, QuoteSchema } from "../openapi/store-schemas";
import { paymentProvider } from "../payments/provider";
import { requestDb } from "../request-db";
import {
  addToCart,
  applyCode,
  cartView,
  cartWithDiscounts,
  createCart,
  loadCart,
  quoteCart,
  removeCode,
  setLineQuantity,
} from "../services/carts";
import { quoteView } from "../services/quote";
import { validate } from "../validation";
import { checkoutOnce } from "../workflows/checkout";
import { checkoutCustomerId } from "./account-session";
import { cartIdParam, checkoutInput, quantityField, quoteQuery } from "./checkout-schema";

const skuField = z.string().regex(SKU_PATTERN, "Not a SKU.");
const lineParam = cartIdParam.extend({ sku: skuField });
const noStore = { "Cache-Control": "no-store" };
const codeBody = z.object({ code: z.string().trim().min(1, "Enter a code.").max(64) }).strict();

const cartAnswer = (description: string) => ({ 200: jsonBody(description, CartSchema), ...problems(404, 409) });

const doc = {
  create: describeRoute({
    tags: ["Carts"],
    summary: "Create a cart",
    description:
      "The body is optional. An email there is kept for the cart; with `remindMe: true` the shopper agrees to one reminder " +
      "email if the cart is left idle (without it, reminders go only to addresses that have paid for an order before).",
    responses: { 201: jsonBody("The new, empty cart (its URL in Location).", CartSchema), ...problems(503) },
  }),
  read: describeRoute({ tags: ["Carts"], summary: "Get a cart", responses: { 200: jsonBody("The cart.", CartSchema), ...problems(404) } }),
  addLine: describeRoute({
    tags: ["Carts"],
    summary: "Add a SKU to a cart",
    description: "Adds to the quantity already in the cart; 409 when stock or the cart's limits do not allow it.",
    responses: cartAnswer("The cart with the line added."),
  }),
  setLine: describeRoute({
    tags: ["Carts"],
    summary: "Set a line's quantity",
    description: "A quantity of 0 removes the line.",
    responses: cartAnswer("The cart after the change."),
  }),
  addCode: describeRoute({
    tags: ["Carts"],
    summary: "Apply a discount code",
    description:
      "Case-insensitive. 404 `unknown_code`; 422 `expired`, `not_started`, `minimum_not_met` or `not_applicable` (also when it cannot be combined with a better discount); 409 `usage_limit_reached`. Checkout checks every code again.",
    responses: { 200: jsonBody("The cart with its discounts.", CartSchema), ...problems(404, 409, 422) },
  }),
  removeCode: describeRoute({ tags: ["Carts"], summary: "Remove a discount code", responses: cartAnswer("The cart with its discounts.") }),
  removeLine: describeRoute({ tags: ["Carts"], summary: "Remove a line", responses: cartAnswer("The cart without the line.") }),
  quote: describeRoute({
    tags: ["Checkout"],
    summary: "Quote a cart for a destination",
    description:
      "Shipping methods that can carry the parcel, tax, and totals; nothing is reserved. `points` shows the totals with that many loyalty points spent (whole steps; the balance is checked at checkout).",
    responses: { 200: jsonBody("The quote.", QuoteSchema), ...problems(404) },
  }),
  checkout: describeRoute({
    tags: ["Checkout"],
    summary: "Check out a cart",
    description:
      "Reserves stock, creates the order and a payment. Send the same Idempotency-Key to retry safely: the first answer is replayed " +
      "(Idempotent-Replayed: true); the key with another cart or body is refused with 422. `giftCards` pay first, in the order " +
      "given; the payment page asks for the rest, and an order they cover in full is paid at once (`status: paid`, no payment page). " +
      "A gift card refusal is 422 `unknown_gift_card`, `gift_card_expired`, `gift_card_disabled` or `currency_mismatch`, " +
      "or 409 `gift_card_empty` (spent, perhaps by another order a moment ago); nothing is taken then.",
    parameters: [
      {
        name: "Idempotency-Key",
        in: "header",
        required: true,
        description: "1–255 characters, e.g. a UUID; one per checkout attempt.",
        schema: { type: "string", minLength: 1, maxLength: 255 },
      },
    ],
    responses: {
      201: jsonBody("The order awaiting payment, its token and where to pay (order URL in Location).", CheckoutAnswerSchema),
      ...problems(404, 409, 422, 503),
    },
  }),
};

/** Store API for carts and checkout (contract paths). */
export const cartsApi = new Hono<AppEnv>()
  .post(
    "/",
    doc.create,
    validate(
      "json",
      z
        .object({ email: z.email().max(254).optional(), remindMe: z.boolean().default(false) })
        .strict()
        .refine((b) => !b.remindMe || b.email !== undefined, { message: "Reminders need an email.", path: ["remindMe"] })
        .optional(),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const cart = await createCart(c.env, body?.email ?? null, body?.remindMe ?? false);
      return c.json(cartView(cart), 201, { ...noStore, Location: `/api/carts/${cart.id}` });
    },
  )
  .get("/:id", doc.read, validate("param", cartIdParam), async (c) =>
    c.json(await cartWithDiscounts(c.env, requestDb(c), await loadCart(c.env, c.req.valid("param").id)), 200, noStore),
  )
  .post("/:id/discounts", doc.addCode, validate("param", cartIdParam), validate("json", codeBody), async (c) => {
    const cart = await applyCode(c.env, requestDb(c), c.req.valid("param").id, c.req.valid("json").code);
    return c.json(await cartWithDiscounts(c.env, requestDb(c), cart), 200, noStore);
  })
  .delete("/:id/discounts", doc.removeCode, validate("param", cartIdParam), validate("json", codeBody), async (c) => {
    const cart = await removeCode(c.env, c.req.valid("param").id, c.req.valid("json").code);
    return c.json(await cartWithDiscounts(c.env, requestDb(c), cart), 200, noStore);
  })
  .post(
    "/:id/lines",
    doc.addLine,
    validate("param", cartIdParam),
    validate("json", z.object({ sku: skuField, quantity: quantityField.min(1) }).strict()),
    async (c) => {
      const { sku, quantity } = c.req.valid("json");
      const cart = await addToCart(c.env, requestDb(c), c.req.valid("param").id, sku, quantity);
      return c.json(cartView(cart), 200, noStore);
    },
  )
  .patch(
    "/:id/lines/:sku",
    doc.setLine,
    validate("param", lineParam),
    validate("json", z.object({ quantity: quantityField }).strict()),
    async (c) => {
      const { id, sku } = c.req.valid("param");
      return c.json(cartView(await setLineQuantity(c.env, id, sku, c.req.valid("json").quantity)), 200, noStore);
    },
  )
  .delete("/:id/lines/:sku", doc.removeLine, validate("param", lineParam), async (c) => {
    const { id, sku } = c.req.valid("param");
    return c.json(cartView(await setLineQuantity(c.env, id, sku, 0)), 200, noStore);
  })
  .get("/:id/quote", doc.quote, validate("param", cartIdParam), validate("query", quoteQuery), async (c) => {
    const { country, region, postalCode, shippingMethod, points } = c.req.valid("query");
    const result = await quoteCart(
      c.env,
      requestDb(c),
      c.req.valid("param").id,
      { country, region, postalCode },
      shippingMethod,
      undefined,
      undefined,
      points || undefined,
    );
    return c.json(quoteView(result, result.discounts), 200, noStore);
  })
  .post("/:id/checkout", doc.checkout, validate("param", cartIdParam), validate("json", checkoutInput), async (c) => {
    const key = c.req.header("Idempotency-Key")?.trim();
    if (!key || key.length > 255) {
      throw invalid("idempotency_key_required", "Send an Idempotency-Key header (1–255 characters), e.g. a UUID.", [
        { field: "Idempotency-Key", in: "header", message: "Required, 1–255 characters." },
      ]);
    }
    const result = await checkoutOnce({
      env: c.env,
      db: requestDb(c),
      provider: paymentProvider(c.env),
      cartId: c.req.valid("param").id,
      key,
      input: c.req.valid("json"),
      customerId: await checkoutCustomerId(c, c.req.valid("json").email),
      now: new Date(),
    });
    return c.json(result.body, 201, {
      ...noStore,
      "Idempotent-Replayed": String(result.replayed),
      Location: `/api/orders/${result.body.orderId}`,
    });
  });

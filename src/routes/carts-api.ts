import { Hono } from "hono";
import { z } from "zod";
import { SKU_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { invalid } from "../errors";
import { paymentProvider } from "../payments/provider";
import { requestDb } from "../request-db";
import { addToCart, cartView, createCart, loadCart, quoteCart, setLineQuantity } from "../services/carts";
import { quoteView } from "../services/quote";
import { validate } from "../validation";
import { checkoutOnce } from "../workflows/checkout";
import { cartIdParam, checkoutInput, quantityField, quoteQuery } from "./checkout-schema";

const skuField = z.string().regex(SKU_PATTERN, "Not a SKU.");
const lineParam = cartIdParam.extend({ sku: skuField });
const noStore = { "Cache-Control": "no-store" };

/** Store API for carts and checkout (contract paths). */
export const cartsApi = new Hono<AppEnv>()
  .post(
    "/",
    validate(
      "json",
      z
        .object({ email: z.email().max(254).optional() })
        .strict()
        .optional(),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const cart = await createCart(c.env, body?.email ?? null);
      return c.json(cartView(cart), 201, { ...noStore, Location: `/api/carts/${cart.id}` });
    },
  )
  .get("/:id", validate("param", cartIdParam), async (c) => c.json(cartView(await loadCart(c.env, c.req.valid("param").id)), 200, noStore))
  .post(
    "/:id/lines",
    validate("param", cartIdParam),
    validate("json", z.object({ sku: skuField, quantity: quantityField.min(1) }).strict()),
    async (c) => {
      const { sku, quantity } = c.req.valid("json");
      const cart = await addToCart(c.env, requestDb(c), c.req.valid("param").id, sku, quantity);
      return c.json(cartView(cart), 200, noStore);
    },
  )
  .patch("/:id/lines/:sku", validate("param", lineParam), validate("json", z.object({ quantity: quantityField }).strict()), async (c) => {
    const { id, sku } = c.req.valid("param");
    return c.json(cartView(await setLineQuantity(c.env, id, sku, c.req.valid("json").quantity)), 200, noStore);
  })
  .delete("/:id/lines/:sku", validate("param", lineParam), async (c) => {
    const { id, sku } = c.req.valid("param");
    return c.json(cartView(await setLineQuantity(c.env, id, sku, 0)), 200, noStore);
  })
  .get("/:id/quote", validate("param", cartIdParam), validate("query", quoteQuery), async (c) => {
    const { country, region, postalCode, shippingMethod } = c.req.valid("query");
    const result = await quoteCart(c.env, requestDb(c), c.req.valid("param").id, { country, region, postalCode }, shippingMethod);
    return c.json(quoteView(result), 200, noStore);
  })
  .post("/:id/checkout", validate("param", cartIdParam), validate("json", checkoutInput), async (c) => {
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
      now: new Date(),
    });
    return c.json(result.body, 201, {
      ...noStore,
      "Idempotent-Replayed": String(result.replayed),
      Location: `/api/orders/${result.body.orderId}`,
    });
  });

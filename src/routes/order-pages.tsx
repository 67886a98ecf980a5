import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { ORDER_ID_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { DomainError, notFound } from "../errors";
import { requestDb } from "../request-db";
import { listCategories } from "../services/catalog-query";
import { getOrder, orderTokenValid } from "../services/orders";
import { requestReturn, returnableUnits } from "../services/returns";
import { shopOf } from "../services/shop";
import { renderDocument } from "../views/document";
import { OrderPage } from "../views/pages/order";
import { formOf, NO_STORE, text } from "./shopper-session";

const NOTICES: Record<string, string> = { returned: "Thanks — we have your return request and will reply by email." };

/** Return refusals whose sentence names SKUs, in the shopper's words. */
const RETURN_REFUSALS: Record<string, string> = {
  exceeds_returnable: "Some of these items can't be returned any more, or not that many; check the quantities and try again.",
  unknown_line: "Choose the items to return from the list below.",
};

async function renderOrder(
  c: Context<AppEnv>,
  id: string,
  token: string,
  status: 200 | 400 | 409,
  extra: { notice?: string; errors?: Record<string, string> } = {},
) {
  const db = requestDb(c);
  const [order, categories, returnable] = await Promise.all([getOrder(db, id), listCategories(db), returnableUnits(c.env, db, id)]);
  if (!order) throw notFound("Order", id);
  const options = { awaitingConfirmation: c.req.query("from") === "payment", token, returnable, ...extra };
  const body = await renderDocument(<OrderPage shop={shopOf(c.env)} categories={categories} order={order} options={options} />);
  // The URL carries the order's token: it must not leak to other sites through the Referer header.
  return c.html(body, status, { ...NO_STORE, "Referrer-Policy": "no-referrer" });
}

async function opened(c: Context<AppEnv>, id: string, token: string) {
  if (!ORDER_ID_PATTERN.test(id) || !token || !(await orderTokenValid(requestDb(c), id, token))) throw notFound("Order", id);
}

/** The shopper's order page (opened by its token) and its return request form. */
export const orderPages = new Hono<AppEnv>()
  .use("/orders/*", csrf())
  .get("/orders/:id", async (c) => {
    const id = c.req.param("id");
    const token = c.req.query("token") ?? "";
    await opened(c, id, token);
    const code = c.req.query("notice") ?? "";
    return renderOrder(c, id, token, 200, { notice: NOTICES[code] });
  })
  .post("/orders/:id/returns", async (c) => {
    const id = c.req.param("id");
    const form = await formOf(c);
    const token = text(form.token);
    await opened(c, id, token);
    const lines = Object.entries(form)
      .filter(([k]) => k.startsWith("qty:"))
      .map(([k, v]) => ({ sku: k.slice(4), quantity: /^\d{1,6}$/.test(text(v)) ? Number(text(v)) : 0 }))
      .filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
    const reason = text(form.reason).trim();
    const errors: Record<string, string> = {};
    if (!lines.length) errors.lines = "Choose how many of which items you are returning.";
    if (!reason) errors.reason = "Tell us why you are returning them.";
    if (reason.length > 1000) errors.reason = "Keep it under 1000 characters.";
    if (Object.keys(errors).length) return renderOrder(c, id, token, 400, { errors });
    try {
      await requestReturn(c.env, requestDb(c), id, { lines, reason });
    } catch (err) {
      if (err instanceof DomainError && (err.kind === "conflict" || err.kind === "invalid")) {
        return renderOrder(c, id, token, err.kind === "conflict" ? 409 : 400, {
          errors: { lines: RETURN_REFUSALS[err.code] ?? err.detail },
        });
      }
      throw err;
    }
    return c.redirect(`/orders/${id}?token=${encodeURIComponent(token)}&notice=returned`, 303);
  });

import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { z } from "zod";
import { type CartView, MAX_LINE_QUANTITY } from "../domain/cart";
import { SKU_PATTERN, UUID_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { DomainError, invalid, notFound } from "../errors";
import { STATUS_OF } from "../http/error-handler";
import { requestDb } from "../request-db";
import { addableLine, addToCart, applyCode, cartView, cartWithDiscounts, createCart, removeCode, setLineQuantity } from "../services/carts";
import { listCategories } from "../services/catalog-query";
import { unsubscribeAddress } from "../services/newsletter";
import { shopOf } from "../services/shop";
import { linkValid } from "../services/signed-links";
import { renderDocument } from "../views/document";
import { Layout } from "../views/layout";
import { CART_NOTICES, type CartNotice, CartPage } from "../views/pages/cart";
import { countField } from "./catalog-params";
import { refusalText } from "./shopper-messages";
import {
  cookieCartId,
  csrfToken,
  formOf,
  NO_STORE,
  openCart,
  openCartState,
  rememberCart,
  requireCsrf,
  showCartCount,
  text,
} from "./shopper-session";

/** Renders the cart page with an optional message (fixed notices by code, or one written for the cart it shows). */
export async function renderCart(
  c: Context<AppEnv>,
  status: 200 | 400 | 404 | 409 | 422,
  message?: string | ((cart: CartView | null) => Promise<string>),
) {
  const cartId = await cookieCartId(c);
  const [state, categories] = await Promise.all([openCartState(c, cartId), listCategories(requestDb(c))]);
  const cart = state ? cartView(state) : null;
  const notice = typeof message === "function" ? await message(cart) : message;
  const token = cartId ? await csrfToken(c, cartId) : "";
  showCartCount(c, cart);
  // Discounts are priced only for a cart with lines or codes (an empty cart page stays one object read).
  const discounts = state && (state.lines.length || state.codes.length) ? await cartWithDiscounts(c.env, requestDb(c), state) : null;
  const body = await renderDocument(
    <CartPage shop={shopOf(c.env)} categories={categories} cart={cart} csrf={token} notice={notice} discounts={discounts} />,
  );
  return c.html(body, status, NO_STORE);
}

const CODE_REFUSALS: Record<string, string> = {
  not_found: "We don't know that code. Check it and try again.",
  expired: "That code has expired.",
  not_started: "That code isn't valid yet.",
  minimum_not_met: "Your cart doesn't reach that code's minimum yet.",
  usage_limit_reached: "That code has been used up.",
  not_applicable: "That code doesn't apply to what's in your cart, or can't be combined with a better discount.",
  too_many_codes: "Your cart already holds as many codes as it can.",
};

/**
 * A shopper-facing 4xx outcome shown on the cart page in shopper words (`missing` for something not
 * found); anything else goes on to the error handler.
 */
export async function cartProblem(c: Context<AppEnv>, err: unknown, missing?: string): Promise<Response> {
  if (err instanceof DomainError && (err.kind === "invalid" || err.kind === "conflict")) {
    return renderCart(c, STATUS_OF[err.kind] as 400 | 409, (cart) => refusalText(c, err, cart));
  }
  if (missing && err instanceof DomainError && err.kind === "not_found") return renderCart(c, 404, missing);
  throw err;
}

async function onCartPage<T>(c: Context<AppEnv>, missing: string, work: () => Promise<T>): Promise<T | Response> {
  try {
    return await work();
  } catch (err) {
    return cartProblem(c, err, missing);
  }
}

const addForm = z.object({
  sku: z.string().regex(SKU_PATTERN),
  quantity: countField(1, MAX_LINE_QUANTITY).default(1),
});
// An empty quantity is a mistake, not a removal: 0 removes.
const quantityForm = z.object({ quantity: countField(0, MAX_LINE_QUANTITY) });

const sameOrigin = csrf();

/** Applies a signed unsubscribe link (query `email`, `sig`, and `c` when it came in a campaign); answers the address. */
async function unsubscribed(c: Context<AppEnv>): Promise<string> {
  const email = (c.req.query("email") ?? "").trim().toLowerCase();
  if (!email || !(await linkValid(c.env, "unsubscribe", email, c.req.query("sig") ?? ""))) {
    throw invalid("invalid_link", "This unsubscribe link is not valid.");
  }
  const campaign = c.req.query("c");
  await unsubscribeAddress(requestDb(c), email, campaign && /^cmp_[0-9a-f]{20}$/.test(campaign) ? campaign : undefined);
  return email;
}

/** The cart page and its forms, the abandoned-cart restore link and the reminder unsubscribe link; no JavaScript needed. */
export const cartPages = new Hono<AppEnv>()
  // Form posts must come from this shop's own pages (Origin / Sec-Fetch-Site). Scoped to these
  // paths: mounted at "/", an unscoped middleware would also judge every other route's posts.
  .use("/cart", sameOrigin)
  .use("/cart/*", sameOrigin)
  .get("/cart", (c) => {
    const code = c.req.query("notice");
    const notice = code && Object.hasOwn(CART_NOTICES, code) ? CART_NOTICES[code as CartNotice] : undefined;
    return renderCart(c, 200, notice);
  })
  .post("/cart/lines", async (c) => {
    const parsed = addForm.safeParse(await formOf(c));
    if (!parsed.success) return renderCart(c, 400, `Choose an option and a quantity from 1 to ${MAX_LINE_QUANTITY}.`);
    return onCartPage(c, "That item isn't for sale any more.", async () => {
      const { sku, quantity } = parsed.data;
      let cartId = await cookieCartId(c);
      if (!(await openCart(c, cartId))) {
        // Refuse an unknown SKU or missing stock before a cart, its cookie and its index row exist.
        await addableLine(c.env, requestDb(c), sku, quantity);
        cartId = (await createCart(c.env, null)).id;
        await rememberCart(c, cartId);
      }
      await addToCart(c.env, requestDb(c), cartId as string, sku, quantity);
      if (!(c.req.header("Accept") ?? "").includes("application/json")) return c.redirect("/cart?notice=added", 303);
      // The product page's script shows a confirmation in place instead of leaving the page.
      const cart = await openCart(c, cartId);
      showCartCount(c, cart);
      const line = cart?.lines.find((l) => l.sku === sku);
      const count = cart?.lines.reduce((n, l) => n + l.quantity, 0) ?? 0;
      return c.json({ count, subtotal: cart?.subtotal, title: line?.title ?? "" }, 200, NO_STORE);
    });
  })
  .post("/cart/discounts", async (c) => {
    const form = await formOf(c);
    const cartId = await cookieCartId(c);
    await requireCsrf(c, cartId, form);
    const code = text(form.code).trim();
    if (!code || code.length > 64) return renderCart(c, 400, "Enter a discount code.");
    try {
      await applyCode(c.env, requestDb(c), cartId as string, code);
    } catch (err) {
      if (err instanceof DomainError && CODE_REFUSALS[err.kind === "not_found" ? "not_found" : err.code]) {
        const status = err.kind === "not_found" ? 404 : err.kind === "conflict" ? 409 : 422;
        return renderCart(c, status, CODE_REFUSALS[err.kind === "not_found" ? "not_found" : err.code]);
      }
      throw err;
    }
    return c.redirect("/cart?notice=code_applied", 303);
  })
  .post("/cart/discounts/remove", async (c) => {
    const form = await formOf(c);
    const cartId = await cookieCartId(c);
    await requireCsrf(c, cartId, form);
    await removeCode(c.env, cartId as string, text(form.code));
    return c.redirect("/cart", 303);
  })
  .post("/cart/lines/:sku", async (c) => {
    const form = await formOf(c);
    const cartId = await cookieCartId(c);
    await requireCsrf(c, cartId, form);
    const parsed = quantityForm.safeParse(form);
    if (!parsed.success) return renderCart(c, 400, `Quantities go from 0 (remove) to ${MAX_LINE_QUANTITY}.`);
    return onCartPage(c, "That item is no longer in your cart.", async () => {
      await setLineQuantity(c.env, cartId as string, c.req.param("sku"), parsed.data.quantity);
      return c.redirect("/cart", 303);
    });
  })
  .get("/cart/restore/:id", async (c) => {
    // From an abandoned-cart email: a signed link puts the cart back into this browser.
    const id = c.req.param("id");
    if (!UUID_PATTERN.test(id) || !(await linkValid(c.env, "restore", id, c.req.query("sig") ?? ""))) throw notFound("Cart", id);
    if (!(await openCart(c, id))) return renderCart(c, 404, "This cart has expired or was already checked out.");
    await rememberCart(c, id);
    return c.redirect("/cart", 303);
  })
  .get("/unsubscribe", async (c) => {
    const email = await unsubscribed(c);
    const categories = await listCategories(requestDb(c));
    const body = await renderDocument(
      <Layout
        shop={shopOf(c.env)}
        title="Unsubscribed"
        description="Reminder and marketing emails stopped."
        path="/unsubscribe"
        categories={categories}
        head={<meta name="robots" content="noindex" />}
      >
        <h1>You're unsubscribed</h1>
        <p>We won't send cart reminders or news to {email} again. Order emails still arrive.</p>
      </Layout>,
    );
    return c.html(body, 200, NO_STORE);
  })
  // One-click unsubscribe from a mail app (List-Unsubscribe-Post): the same link, posted.
  .post("/unsubscribe", async (c) => {
    await unsubscribed(c);
    return c.text("Unsubscribed.", 200, NO_STORE);
  });

import { type Context, Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { z } from "zod";
import { configOf } from "../config";
import { COUNTRY_CODES } from "../countries";
import { hmac, safeEqual } from "../crypto";
import { MAX_LINE_QUANTITY } from "../domain/cart";
import { SKU_PATTERN, UUID_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { DomainError, forbidden, invalid, notFound } from "../errors";
import { paymentProvider } from "../payments/provider";
import { requestDb } from "../request-db";
import { addToCart, cartView, createCart, loadCart, setLineQuantity } from "../services/carts";
import { listCategories } from "../services/catalog-query";
import { unsubscribe } from "../services/notifications";
import { getOrder, orderTokenValid } from "../services/orders";
import { shopOf } from "../services/shop";
import { linkValid } from "../services/signed-links";
import { fieldErrors } from "../validation";
import { renderDocument } from "../views/document";
import { Layout } from "../views/layout";
import { CartPage } from "../views/pages/cart";
import { type CheckoutFields, CheckoutPage } from "../views/pages/checkout";
import { OrderPage } from "../views/pages/order";
import { checkoutOnce } from "../workflows/checkout";
import { checkoutInput } from "./checkout-schema";
import { orderIdParam } from "./orders-api";

const CART_COOKIE = "cart";
const NO_STORE = { "Cache-Control": "no-store" };

const secretOf = (c: Context<AppEnv>) => configOf(c.env).sessionSecret;

/** The cart id from the signed cookie, if the signature holds. */
async function cookieCartId(c: Context<AppEnv>): Promise<string | undefined> {
  const id = await getSignedCookie(c, secretOf(c), CART_COOKIE);
  return typeof id === "string" && UUID_PATTERN.test(id) ? id : undefined;
}

async function rememberCart(c: Context<AppEnv>, cartId: string) {
  await setSignedCookie(c, CART_COOKIE, cartId, secretOf(c), {
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    path: "/",
    maxAge: 30 * 86_400,
  });
}

/** The form token of a cart's forms: bound to the cart, so another site cannot forge it. */
const csrfToken = (c: Context<AppEnv>, cartId: string) => hmac(secretOf(c), `csrf:${cartId}`);

async function requireCsrf(c: Context<AppEnv>, cartId: string | undefined, form: Record<string, unknown>) {
  const given = typeof form._csrf === "string" ? form._csrf : "";
  if (!cartId || !given || !(await safeEqual(given, await csrfToken(c, cartId)))) {
    throw forbidden("The form has expired or did not come from this shop. Reload the page and try again.");
  }
}

async function openCart(c: Context<AppEnv>, cartId: string | undefined) {
  if (!cartId) return null;
  try {
    const cart = await loadCart(c.env, cartId);
    return cart.status === "open" ? cartView(cart) : null;
  } catch (err) {
    if (err instanceof DomainError && err.kind === "not_found") return null;
    throw err;
  }
}

async function renderCart(c: Context<AppEnv>, status: 200 | 400 | 404 | 409, notice?: string) {
  const cartId = await cookieCartId(c);
  const [cart, categories] = await Promise.all([openCart(c, cartId), listCategories(requestDb(c))]);
  const token = cartId ? await csrfToken(c, cartId) : "";
  const body = await renderDocument(<CartPage shop={shopOf(c.env)} categories={categories} cart={cart} csrf={token} notice={notice} />);
  return c.html(body, status, NO_STORE);
}

/** Shopper-facing 4xx outcomes are shown on the cart page; anything else goes to the error handler. */
async function onCartPage<T>(c: Context<AppEnv>, work: () => Promise<T>): Promise<T | Response> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError && (err.kind === "invalid" || err.kind === "conflict")) {
      return renderCart(c, err.kind === "invalid" ? 400 : 409, err.detail);
    }
    throw err;
  }
}

const addForm = z.object({
  sku: z.string().regex(SKU_PATTERN),
  quantity: z.coerce.number().int().min(1).max(MAX_LINE_QUANTITY).default(1),
});
const quantityForm = z.object({ quantity: z.coerce.number().int().min(0).max(MAX_LINE_QUANTITY) });

function countries(locale: string) {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  return [...COUNTRY_CODES].map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, locale));
}

async function renderCheckout(
  c: Context<AppEnv>,
  cartId: string,
  values: CheckoutFields,
  errors: Record<string, string>,
  status: 200 | 400,
) {
  const cart = await openCart(c, cartId);
  if (!cart?.lines.length) return c.redirect("/cart", 303);
  const categories = await listCategories(requestDb(c));
  const body = await renderDocument(
    <CheckoutPage
      shop={shopOf(c.env)}
      categories={categories}
      cart={cart}
      countries={countries(configOf(c.env).shopLocale)}
      values={values}
      errors={errors}
      csrf={await csrfToken(c, cartId)}
      idempotencyKey={values.idempotencyKey || crypto.randomUUID()}
    />,
  );
  return c.html(body, status, NO_STORE);
}

/** The posted form; a body that is not a form is a 400, not a 500. */
async function formOf(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    return (await c.req.parseBody()) as Record<string, unknown>;
  } catch {
    throw invalid("invalid_request", "The form could not be read.");
  }
}

const text = (v: unknown) => (typeof v === "string" ? v : "");
const optional = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);

/** Cart, checkout and order pages: plain HTML forms, no JavaScript needed. */
const sameOrigin = csrf();

export const cartPages = new Hono<AppEnv>()
  // Form posts must come from this shop's own pages (Origin / Sec-Fetch-Site). Scoped to these
  // paths: mounted at "/", an unscoped middleware would also judge every other route's posts.
  .use("/cart", sameOrigin)
  .use("/cart/*", sameOrigin)
  .use("/checkout", sameOrigin)
  .get("/cart", (c) => renderCart(c, 200))
  .post("/cart/lines", async (c) => {
    const parsed = addForm.safeParse(await formOf(c));
    if (!parsed.success) return renderCart(c, 400, "Choose an option and a quantity from 1 to 99.");
    return onCartPage(c, async () => {
      let cartId = await cookieCartId(c);
      if (!(await openCart(c, cartId))) {
        cartId = (await createCart(c.env, null)).id;
        await rememberCart(c, cartId);
      }
      await addToCart(c.env, requestDb(c), cartId as string, parsed.data.sku, parsed.data.quantity);
      return c.redirect("/cart", 303);
    });
  })
  .post("/cart/lines/:sku", async (c) => {
    const form = await formOf(c);
    const cartId = await cookieCartId(c);
    await requireCsrf(c, cartId, form);
    const parsed = quantityForm.safeParse(form);
    if (!parsed.success) return renderCart(c, 400, "Quantities go from 0 (remove) to 99.");
    return onCartPage(c, async () => {
      await setLineQuantity(c.env, cartId as string, c.req.param("sku"), parsed.data.quantity);
      return c.redirect("/cart", 303);
    });
  })
  .get("/checkout", async (c) => {
    const cartId = await cookieCartId(c);
    if (!cartId) return c.redirect("/cart", 303);
    const country = (c.req.raw.cf?.country as string | undefined) ?? "US";
    return renderCheckout(c, cartId, { country: COUNTRY_CODES.has(country) ? country : "US" }, {}, 200);
  })
  .post("/checkout", async (c) => {
    const form = await formOf(c);
    const cartId = await cookieCartId(c);
    await requireCsrf(c, cartId, form);
    const values: CheckoutFields = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, text(v)]));
    const parsed = checkoutInput.safeParse({
      email: text(form.email),
      shippingAddress: {
        name: text(form.name),
        line1: text(form.line1),
        line2: optional(form.line2),
        city: text(form.city),
        region: optional(form.region),
        postalCode: text(form.postalCode),
        country: text(form.country),
        phone: optional(form.phone),
      },
    });
    if (!parsed.success) {
      const errors = Object.fromEntries(
        fieldErrors(parsed.error, "form").map((e) => [e.field.replace(/^shippingAddress\./, ""), e.message]),
      );
      return renderCheckout(c, cartId as string, values, errors, 400);
    }
    const key = UUID_PATTERN.test(values.idempotencyKey ?? "") ? (values.idempotencyKey as string) : crypto.randomUUID();
    return onCartPage(c, async () => {
      const result = await checkoutOnce({
        env: c.env,
        db: requestDb(c),
        provider: paymentProvider(c.env),
        cartId: cartId as string,
        key,
        input: parsed.data,
        now: new Date(),
      });
      deleteCookie(c, CART_COOKIE, { path: "/" });
      return c.redirect(`/orders/${result.body.orderId}?token=${encodeURIComponent(result.body.orderToken)}`, 303);
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
    const email = (c.req.query("email") ?? "").trim().toLowerCase();
    if (!email || !(await linkValid(c.env, "unsubscribe", email, c.req.query("sig") ?? "")))
      throw invalid("invalid_link", "This unsubscribe link is not valid.");
    await unsubscribe(requestDb(c), email, new Date());
    const categories = await listCategories(requestDb(c));
    const body = await renderDocument(
      <Layout
        shop={shopOf(c.env)}
        title="Unsubscribed"
        description="Reminder emails stopped."
        path="/unsubscribe"
        categories={categories}
        head={<meta name="robots" content="noindex" />}
      >
        <h1>You're unsubscribed</h1>
        <p>We won't send cart reminders to {email} again. Order emails still arrive.</p>
      </Layout>,
    );
    return c.html(body, 200, NO_STORE);
  })
  .get("/orders/:id", async (c) => {
    const id = c.req.param("id");
    const token = c.req.query("token") ?? "";
    const db = requestDb(c);
    if (!orderIdParam.safeParse({ id }).success || !token || !(await orderTokenValid(db, id, token))) throw notFound("Order", id);
    const [order, categories] = await Promise.all([getOrder(db, id), listCategories(db)]);
    if (!order) throw notFound("Order", id);
    const body = await renderDocument(<OrderPage shop={shopOf(c.env)} categories={categories} order={order} />);
    return c.html(body, 200, { ...NO_STORE, "Referrer-Policy": "no-referrer" });
  });

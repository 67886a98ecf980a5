import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { configOf } from "../config";
import { COUNTRY_CODES, countryOptions, REGIONS } from "../countries";
import { GIFT_CARD_REFUSALS, type GiftCardRefusal } from "../domain/gift-cards";
import { UUID_PATTERN } from "../domain/ids";
import { redeemablePoints, valueOfPoints } from "../domain/loyalty";
import { TURNSTILE_FIELD, TURNSTILE_ORIGIN } from "../domain/turnstile";
import type { AppEnv } from "../env";
import { DomainError } from "../errors";
import { clientAddress } from "../http/rate-limit";
import { contentSecurityPolicy } from "../http/security-headers";
import { paymentProvider, providerOf } from "../payments/provider";
import { requestDb } from "../request-db";
import { lastAddress } from "../services/accounts";
import { quoteCart } from "../services/carts";
import { listCategories } from "../services/catalog-query";
import { previewGiftCards } from "../services/gift-cards";
import { loyaltySettingsOf, pointsAccount } from "../services/loyalty";
import { cancelUnpaidOrder, findOrderForShopper } from "../services/orders";
import { quoteView } from "../services/quote";
import { shopOf } from "../services/shop";
import { cancelLinkValid, orderTokenFor } from "../services/signed-links";
import { turnstileSiteKey, verifyTurnstile } from "../turnstile";
import { fieldErrors } from "../validation";
import { renderDocument } from "../views/document";
import { type CheckoutFields, CheckoutPage, type CheckoutQuote } from "../views/pages/checkout";
import { checkoutOnce } from "../workflows/checkout";
import { checkoutCustomerId, signedInCustomer } from "./account-session";
import { cartProblem } from "./cart-pages";
import { checkoutInput } from "./checkout-schema";
import {
  cookieCartId,
  cookieOrderId,
  csrfToken,
  forgetCart,
  formOf,
  NO_STORE,
  openCart,
  optional,
  rememberCart,
  rememberOrder,
  requireCsrf,
  text,
} from "./shopper-session";

/** Where a payment provider's hosted page lives (the checkout form's answer redirects there). */
const PAYMENT_PAGES: Readonly<Record<string, string[]>> = { stripe: ["https://checkout.stripe.com"], test: [] };

const FORM_FIELDS = { in: "form" as const, country: "country", region: "region", method: "shippingMethod" };

/** The quote for the form's address, or the sentence saying why there is none yet. */
async function quoteFor(
  c: Context<AppEnv>,
  cartId: string,
  values: CheckoutFields,
  points?: number,
): Promise<{ quote: CheckoutQuote | null; error?: string; field?: string }> {
  if (!COUNTRY_CODES.has(values.country ?? "")) return { quote: null, error: "Choose a country to see shipping and tax." };
  const destination = { country: values.country as string, region: optional(values.region), postalCode: optional(values.postalCode) };
  try {
    const q = await quoteCart(c.env, requestDb(c), cartId, destination, optional(values.shippingMethod), FORM_FIELDS, undefined, points);
    return { quote: quoteView(q) };
  } catch (err) {
    if (!(err instanceof DomainError) || err.kind !== "invalid" || POINTS_REFUSALS.includes(err.code)) throw err;
    if (err.code === "shipping_method_unavailable") {
      // The chosen method is not offered for this address: show the cheapest instead.
      const q = await quoteCart(c.env, requestDb(c), cartId, destination, undefined, FORM_FIELDS, undefined, points);
      return { quote: quoteView(q) };
    }
    return { quote: null, error: err.detail, field: err.errors?.[0]?.field };
  }
}

/** The page's quote with the chosen points spent; points that cannot be spent are said beside their field and left out. */
async function pageQuote(c: Context<AppEnv>, cartId: string, values: CheckoutFields) {
  const points = Number(values.loyaltyPoints ?? 0) > 0 ? Number(values.loyaltyPoints) : undefined;
  if (!points) return { ...(await quoteFor(c, cartId, values)), spent: 0 };
  try {
    return { ...(await quoteFor(c, cartId, values, points)), spent: points };
  } catch (err) {
    if (!(err instanceof DomainError) || !POINTS_REFUSALS.includes(err.code)) throw err;
    return { ...(await quoteFor(c, cartId, values)), spent: 0, pointsError: err.detail };
  }
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
  const [categories, priced, customer, rules] = await Promise.all([
    listCategories(requestDb(c)),
    pageQuote(c, cartId, values),
    signedInCustomer(c),
    loyaltySettingsOf(requestDb(c)),
  ]);
  // A signed-in shopper with points may spend them in whole steps, up to what the goods cost.
  let pointChoices: number[] = [];
  if (customer && rules.enabled) {
    const { available } = await pointsAccount(c.env, customer.id, 0);
    // The goods after other discounts (the points already chosen added back: they are among the choices).
    const goods = priced.quote
      ? priced.quote.subtotal.amount - priced.quote.discount.amount + valueOfPoints(priced.spent, rules)
      : cart.lines.reduce((n, l) => n + l.lineTotal.amount, 0);
    const most = redeemablePoints(available, goods, rules);
    pointChoices = Array.from({ length: Math.min(most / rules.redeemStep, 20) }, (_, i) => (i + 1) * rules.redeemStep);
    if (most > 0 && pointChoices.at(-1) !== most) pointChoices.push(most);
  }
  let allErrors = priced.field && status === 400 && priced.error ? { ...errors, [priced.field]: priced.error } : errors;
  if ("pointsError" in priced && priced.pointsError && !allErrors.loyaltyPoints)
    allErrors = { ...allErrors, loyaltyPoints: priced.pointsError };
  const codes = giftCardCodesOf(values.giftCards);
  // Codes are checked even before there is an address (against the goods, until shipping and tax are known).
  const due = priced.quote?.total ?? cart.subtotal;
  const preview = codes.length ? await previewGiftCards(c.env, requestDb(c), codes, { due: due.amount, currency: due.currency }) : null;
  if (preview && "error" in preview && !allErrors.giftCards) allErrors = { ...allErrors, giftCards: preview.error };
  const locale = configOf(c.env).shopLocale;
  const turnstile = turnstileSiteKey(c.env);
  const body = await renderDocument(
    <CheckoutPage
      shop={shopOf(c.env)}
      categories={categories}
      cart={cart}
      countries={countryOptions(locale)}
      regions={Object.entries(REGIONS[values.country ?? ""] ?? {}).map(([code, name]) => ({ code, name }))}
      values={{
        ...values,
        shippingMethod: values.shippingMethod || priced.quote?.shippingMethod || "",
        loyaltyPoints: String(priced.spent),
      }}
      errors={allErrors}
      csrf={await csrfToken(c, cartId)}
      idempotencyKey={values.idempotencyKey || crypto.randomUUID()}
      quote={priced.quote}
      quoteError={priced.error}
      giftCards={preview && !("error" in preview) && priced.quote ? preview : null}
      points={pointChoices.length && rules.enabled ? { choices: pointChoices, rules } : null}
      turnstileSiteKey={turnstile}
    />,
  );
  // The form's answer redirects to the payment provider's page: allow exactly that target (and Turnstile's widget when on).
  const csp = contentSecurityPolicy(PAYMENT_PAGES[paymentProvider(c.env).name] ?? [], turnstile ? [TURNSTILE_ORIGIN] : []);
  return c.html(body, status, { ...NO_STORE, "Content-Security-Policy": csp });
}

/** Why points could not be spent: shown beside the points field. */
const POINTS_REFUSALS = ["insufficient_points", "points_exceed_total", "invalid_points", "sign_in_required", "loyalty_disabled"];

/** Gift card codes as typed in the form's one field (comma or line separated). */
const giftCardCodesOf = (value: string | undefined) =>
  (value ?? "")
    .split(/[,;\n]+/)
    .map((v) => v.trim())
    .filter(Boolean)
    .slice(0, 6);

/** The form's values as strings (files and repeats dropped). */
const valuesOf = (form: Record<string, unknown>): CheckoutFields => Object.fromEntries(Object.entries(form).map(([k, v]) => [k, text(v)]));

const sameOrigin = csrf();

/** Checkout: address, shipping and totals before the order; then the payment page, and back from it. */
export const checkoutPages = new Hono<AppEnv>()
  .use("/checkout", sameOrigin)
  .get("/checkout", async (c) => {
    const cartId = await cookieCartId(c);
    if (!cartId) return c.redirect("/cart", 303);
    const country = (c.req.raw.cf?.country as string | undefined) ?? "US";
    const values: CheckoutFields = { country: COUNTRY_CODES.has(country) ? country : "US" };
    // A signed-in shopper starts from their email and the address they used last.
    const customer = await signedInCustomer(c);
    if (customer) {
      const address = await lastAddress(requestDb(c), customer.id);
      Object.assign(
        values,
        { email: customer.email },
        address ? Object.fromEntries(Object.entries(address).map(([k, v]) => [k, String(v ?? "")])) : {},
      );
    }
    return renderCheckout(c, cartId, values, {}, 200);
  })
  .post("/checkout", async (c) => {
    const form = await formOf(c);
    const cartId = await cookieCartId(c);
    await requireCsrf(c, cartId, form);
    const values = valuesOf(form);
    if (values.action === "quote" || values.action === "gift") return renderCheckout(c, cartId as string, values, {}, 200);
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
      shippingMethod: optional(form.shippingMethod),
      ...(giftCardCodesOf(values.giftCards).length ? { giftCards: giftCardCodesOf(values.giftCards) } : {}),
      ...(Number(values.loyaltyPoints ?? 0) > 0 ? { loyaltyPoints: Number(values.loyaltyPoints) } : {}),
    });
    if (!parsed.success) {
      const errors = Object.fromEntries(
        fieldErrors(parsed.error, "form").map((e) => [
          e.field.replace(/^shippingAddress\./, "").replace(/^giftCards\..*$/, "giftCards"),
          e.message,
        ]),
      );
      return renderCheckout(c, cartId as string, values, errors, 400);
    }
    if (turnstileSiteKey(c.env) && !(await verifyTurnstile(c.env, form[TURNSTILE_FIELD], clientAddress(c)))) {
      return renderCheckout(
        c,
        cartId as string,
        values,
        { turnstile: "Please complete the check above the button, then place the order." },
        400,
      );
    }
    const key = UUID_PATTERN.test(values.idempotencyKey ?? "") ? (values.idempotencyKey as string) : crypto.randomUUID();
    try {
      const result = await checkoutOnce({
        env: c.env,
        db: requestDb(c),
        provider: paymentProvider(c.env),
        cartId: cartId as string,
        key,
        input: parsed.data,
        customerId: await checkoutCustomerId(c, parsed.data.email),
        now: new Date(),
      });
      forgetCart(c);
      await rememberOrder(c, result.body.orderId);
      return c.redirect(result.body.payment.redirectUrl, 303);
    } catch (err) {
      // Address problems (no shipping there, a state needed for tax) go back to the form beside the field.
      // That attempt is over (its key recorded as failed): the corrected form gets a key of its own.
      if (err instanceof DomainError && GIFT_CARD_REFUSALS.includes(err.code as GiftCardRefusal)) {
        return renderCheckout(c, cartId as string, { ...values, idempotencyKey: crypto.randomUUID() }, { giftCards: err.detail }, 400);
      }
      if (err instanceof DomainError && POINTS_REFUSALS.includes(err.code)) {
        return renderCheckout(c, cartId as string, { ...values, idempotencyKey: crypto.randomUUID() }, { loyaltyPoints: err.detail }, 400);
      }
      if (err instanceof DomainError && err.kind === "invalid" && err.errors?.length) {
        const errors = Object.fromEntries(err.errors.map((e) => [e.field.replace(/^shippingAddress\./, ""), e.message]));
        return renderCheckout(c, cartId as string, { ...values, idempotencyKey: crypto.randomUUID() }, errors, 400);
      }
      return cartProblem(c, err);
    }
  })
  .get("/checkout/return", async (c) => {
    // Back from the payment page: the order this browser placed (signed cookie), shown with its token.
    const orderId = await cookieOrderId(c);
    if (!orderId || orderId !== c.req.query("order")) return c.redirect("/", 303);
    const token = await orderTokenFor(configOf(c.env).sessionSecret, orderId);
    return c.redirect(`/orders/${orderId}?token=${encodeURIComponent(token)}&from=payment`, 303);
  })
  .get("/checkout/cancel", async (c) => {
    // The shopper left the payment page (or the card was declined): the order is cancelled, the holds
    // released, and the same lines are back in this browser's cart.
    // A cross-site link cannot cancel an order: it lacks the signature the payment page's link carries.
    const orderId = await cookieOrderId(c);
    const sig = c.req.query("sig") ?? "";
    if (!orderId || orderId !== c.req.query("order") || !(await cancelLinkValid(c.env, orderId, sig))) return c.redirect("/cart", 303);
    const db = requestDb(c);
    const order = await findOrderForShopper(db, orderId);
    if (order?.status === "pending_payment") {
      const declined = c.req.query("reason") === "declined";
      await cancelUnpaidOrder(c.env, db, orderId, {
        reason: declined ? "payment declined" : "payment cancelled by the shopper",
        actor: "shopper",
        now: new Date(),
      });
      if (order.paymentId) await providerOf(c.env, order.paymentProvider).cancelPayment(order.paymentId);
    }
    if (order?.cartId) await rememberCart(c, order.cartId);
    return c.redirect(`/cart?notice=${order?.status === "pending_payment" ? "payment-cancelled" : "order-placed"}`, 303);
  });

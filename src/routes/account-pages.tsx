import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { z } from "zod";
import { countryOptions } from "../countries";
import { safeEqual, sha256Hex } from "../crypto";
import { normaliseEmail } from "../domain/customer";
import { DECIMAL_ID_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { forbidden } from "../errors";
import { clientAddress } from "../http/rate-limit";
import { log } from "../log";
import { requestDb } from "../request-db";
import {
  accountCsrfToken,
  accountView,
  addAddress,
  type Customer,
  deleteAccount,
  exportAccount,
  redeemLoginLink,
  removeAddress,
  requestLoginLink,
  signOutCustomer,
  updateProfile,
} from "../services/accounts";
import { listCategories } from "../services/catalog-query";
import { loyaltySettingsOf, pointsAccount } from "../services/loyalty";
import { shopOf } from "../services/shop";
import { fieldErrors } from "../validation";
import { renderDocument } from "../views/document";
import { AccountLoginPage, AccountPage } from "../views/pages/account";
import { forgetSession, rememberSession, sessionToken, signedInCustomer } from "./account-session";
import { checkoutInput } from "./checkout-schema";
import { formOf, NO_STORE, optional, text } from "./shopper-session";

/** Seconds a client waits after too many sign-in link requests (the limiters count per minute). */
const RETRY_AFTER_SECONDS = 60;

const NOTICES: Record<string, string> = {
  saved: "Your details are saved.",
  address_saved: "Address saved.",
  address_removed: "Address removed.",
  signed_out: "You are signed out.",
  deleted: "Your account is deleted. Thank you for shopping with us.",
  expired: "That sign-in link has expired or was already used. Ask for a new one below.",
  review: "Sign in to review products you bought.",
};

const emailField = z.email("Enter a valid email address, like name@example.com.").max(254);
const addressForm = checkoutInput.shape.shippingAddress;

async function loginPage(
  c: Context<AppEnv>,
  status: 200 | 400 | 429,
  props: { sent?: boolean; email?: string; error?: string; notice?: string },
) {
  const categories = await listCategories(requestDb(c));
  const html = await renderDocument(<AccountLoginPage shop={shopOf(c.env)} categories={categories} {...props} />);
  return c.html(html, status, { ...NO_STORE, "Referrer-Policy": "no-referrer" });
}

async function accountPage(
  c: Context<AppEnv>,
  customer: Customer,
  status: 200 | 400,
  extra: { notice?: string; errors?: Record<string, string>; values?: Record<string, string> } = {},
) {
  const db = requestDb(c);
  const [account, categories, rules] = await Promise.all([accountView(c.env, db, customer), listCategories(db), loyaltySettingsOf(db)]);
  const shop = shopOf(c.env);
  const points = rules.enabled ? { rules, account: await pointsAccount(c.env, customer.id, 20) } : null;
  const html = await renderDocument(
    <AccountPage
      shop={shop}
      categories={categories}
      account={account}
      csrf={await accountCsrfToken(c.env, sessionToken(c) as string)}
      countries={countryOptions(shop.locale)}
      points={points}
      {...extra}
    />,
  );
  // Order links on the page carry their tokens: they must not leak through the Referer header.
  return c.html(html, status, { ...NO_STORE, "Referrer-Policy": "no-referrer" });
}

/** The signed-in shopper of a form post, after checking the form's token belongs to their session. */
async function formCustomer(c: Context<AppEnv>): Promise<{ customer: Customer; form: Record<string, unknown> } | Response> {
  const customer = await signedInCustomer(c);
  if (!customer) return c.redirect("/account/login", 303);
  const form = await formOf(c);
  const given = text(form._csrf);
  if (!given || !(await safeEqual(given, await accountCsrfToken(c.env, sessionToken(c) as string)))) {
    throw forbidden("The form has expired or did not come from this shop. Reload the page and try again.");
  }
  return { customer, form };
}

/** Shopper accounts: passwordless sign-in by emailed link, the account page and what it changes. */
export const accountPages = new Hono<AppEnv>()
  .use("/account/*", csrf())
  .use("/account", csrf())
  .get("/account/login", async (c) => {
    if (await signedInCustomer(c)) return c.redirect("/account", 303);
    return loginPage(c, 200, { notice: NOTICES[c.req.query("notice") ?? ""] });
  })
  .post("/account/login", async (c) => {
    const form = await formOf(c);
    const parsed = emailField.safeParse(text(form.email).trim());
    if (!parsed.success) return loginPage(c, 400, { email: text(form.email).slice(0, 254), error: parsed.error.issues[0]?.message });
    const email = normaliseEmail(parsed.data);
    const account = await sha256Hex(`account-login:${email}`);
    const verdicts = await Promise.all([
      c.env.ACCOUNT_LOGIN_CLIENT_LIMITER.limit({ key: clientAddress(c) ?? "no-address" }),
      c.env.ACCOUNT_LOGIN_EMAIL_LIMITER.limit({ key: account }),
    ]);
    if (verdicts.some((v) => !v.success)) {
      log.warn("account.login_limited", { requestId: c.get("requestId"), account: account.slice(0, 12) });
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return loginPage(c, 429, { email, error: "Too many sign-in links asked for. Wait a minute, then try again." });
    }
    await requestLoginLink(c.env, requestDb(c), email);
    return loginPage(c, 200, { sent: true, email });
  })
  .get("/account/verify", async (c) => {
    const redeemed = await redeemLoginLink(c.env, requestDb(c), c.req.query("token") ?? "");
    if (!redeemed) {
      log.warn("account.link_refused", { requestId: c.get("requestId") });
      return loginPage(c, 400, { notice: undefined, error: NOTICES.expired });
    }
    rememberSession(c, redeemed.session);
    return c.redirect("/account", 303);
  })
  .get("/account", async (c) => {
    const customer = await signedInCustomer(c);
    if (!customer) return c.redirect("/account/login", 303);
    return accountPage(c, customer, 200, { notice: NOTICES[c.req.query("notice") ?? ""] });
  })
  .post("/account/logout", async (c) => {
    const token = sessionToken(c);
    const got = await formCustomer(c);
    if (got instanceof Response) return got;
    if (token) await signOutCustomer(requestDb(c), token);
    forgetSession(c);
    return c.redirect("/account/login?notice=signed_out", 303);
  })
  .post("/account/profile", async (c) => {
    const got = await formCustomer(c);
    if (got instanceof Response) return got;
    const { customer, form } = got;
    const name = text(form.name).trim();
    const phone = text(form.phone).trim();
    if (name.length > 200 || phone.length > 40) {
      return accountPage(c, customer, 400, { errors: { profile: "Keep the name under 200 characters and the phone under 40." } });
    }
    await updateProfile(requestDb(c), customer, { name, phone: phone || null, marketingConsent: text(form.marketingConsent) === "yes" });
    return c.redirect("/account?notice=saved", 303);
  })
  .post("/account/addresses", async (c) => {
    const got = await formCustomer(c);
    if (got instanceof Response) return got;
    const { customer, form } = got;
    const fields = ["name", "line1", "line2", "city", "region", "postalCode", "country", "phone"] as const;
    const optionalFields = new Set(["line2", "region", "phone"]);
    const parsed = addressForm.safeParse(
      Object.fromEntries(fields.map((f) => [f, optionalFields.has(f) ? optional(form[f]) : text(form[f])])),
    );
    if (!parsed.success) {
      const errors = Object.fromEntries(fieldErrors(parsed.error, "form").map((e) => [e.field, e.message]));
      const values = Object.fromEntries(fields.map((f) => [f, text(form[f])]));
      return accountPage(c, customer, 400, { errors, values });
    }
    await addAddress(requestDb(c), customer.id, parsed.data);
    return c.redirect("/account?notice=address_saved", 303);
  })
  .post("/account/addresses/:id/delete", async (c) => {
    const got = await formCustomer(c);
    if (got instanceof Response) return got;
    const id = c.req.param("id");
    if (DECIMAL_ID_PATTERN.test(id)) await removeAddress(requestDb(c), got.customer.id, Number(id));
    return c.redirect("/account?notice=address_removed", 303);
  })
  .get("/account/export", async (c) => {
    const customer = await signedInCustomer(c);
    if (!customer) return c.redirect("/account/login", 303);
    const data = await exportAccount(requestDb(c), customer.id);
    return c.json(data, 200, { ...NO_STORE, "Content-Disposition": 'attachment; filename="account.json"' });
  })
  .post("/account/delete", async (c) => {
    const got = await formCustomer(c);
    if (got instanceof Response) return got;
    if (text(got.form.confirm) !== "yes") {
      return accountPage(c, got.customer, 400, { errors: { confirm: "Tick the box to confirm you want your account deleted." } });
    }
    await deleteAccount(c.env, requestDb(c), got.customer.id);
    forgetSession(c);
    return c.redirect("/account/login?notice=deleted", 303);
  });

import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { safeEqual } from "../crypto";
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/ids";
import type { AppEnv } from "../env";
import { DomainError, forbidden, notFound } from "../errors";
import { requestDb } from "../request-db";
import { accountCsrfToken, type Customer } from "../services/accounts";
import { getProduct, listCategories } from "../services/catalog-query";
import { reviewStanding, submitReview } from "../services/reviews";
import { shopOf } from "../services/shop";
import { renderDocument } from "../views/document";
import { ReviewPage, type ReviewStanding } from "../views/pages/review";
import { sessionToken, signedInCustomer } from "./account-session";
import { formOf, NO_STORE, text } from "./shopper-session";

async function productOf(c: Context<AppEnv>) {
  const slug = c.req.param("slug") ?? "";
  if (slug.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(slug)) throw notFound("Product", slug);
  const product = await getProduct(requestDb(c), { slug });
  if (!product) throw notFound("Product", slug);
  return product;
}

async function page(c: Context<AppEnv>, product: { title: string; slug: string }, standing: ReviewStanding, status: 200 | 400 | 409 = 200) {
  const html = await renderDocument(
    <ReviewPage shop={shopOf(c.env)} categories={await listCategories(requestDb(c))} product={product} standing={standing} />,
  );
  return c.html(html, status, NO_STORE);
}

async function standingOf(c: Context<AppEnv>, customer: Customer, productId: number): Promise<ReviewStanding> {
  const { orderId, existing } = await reviewStanding(requestDb(c), customer.id, productId);
  if (existing) return { kind: "reviewed", status: existing.status, thanks: c.req.query("thanks") === "1" };
  if (!orderId) return { kind: "not_a_buyer" };
  return { kind: "form", csrf: await accountCsrfToken(c.env, sessionToken(c) as string) };
}

/** Writing a product review: signed-in customers who bought the product, once each. */
export const reviewPages = new Hono<AppEnv>()
  .use("/p/:slug/review", csrf())
  .get("/p/:slug/review", async (c) => {
    const product = await productOf(c);
    const customer = await signedInCustomer(c);
    if (!customer) return c.redirect("/account/login?notice=review", 303);
    return page(c, product, await standingOf(c, customer, product.id));
  })
  .post("/p/:slug/review", async (c) => {
    const product = await productOf(c);
    const customer = await signedInCustomer(c);
    if (!customer) return c.redirect("/account/login?notice=review", 303);
    const form = await formOf(c);
    const given = text(form._csrf);
    if (!given || !(await safeEqual(given, await accountCsrfToken(c.env, sessionToken(c) as string)))) {
      throw forbidden("The form has expired or did not come from this shop. Reload the page and try again.");
    }
    const values = { rating: text(form.rating), title: text(form.title).trim(), body: text(form.body).trim() };
    const errors: Record<string, string> = {};
    if (!/^[1-5]$/.test(values.rating)) errors.rating = "Choose from 1 to 5 stars.";
    if (!values.title) errors.title = "Give your review a title.";
    else if (values.title.length > 120) errors.title = "Keep the title under 120 characters.";
    if (!values.body) errors.body = "Tell other shoppers what you think.";
    else if (values.body.length > 5000) errors.body = "Keep the review under 5000 characters.";
    if (Object.keys(errors).length) {
      const standing = await standingOf(c, customer, product.id);
      return page(c, product, standing.kind === "form" ? { ...standing, values, errors } : standing, 400);
    }
    try {
      await submitReview(requestDb(c), customer.id, product.id, { rating: Number(values.rating), title: values.title, body: values.body });
    } catch (err) {
      if (err instanceof DomainError && err.kind === "conflict") return page(c, product, await standingOf(c, customer, product.id), 409);
      throw err;
    }
    return c.redirect(`/p/${product.slug}/review?thanks=1`, 303);
  });

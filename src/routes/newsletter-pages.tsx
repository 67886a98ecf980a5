import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { z } from "zod";
import { sha256Hex } from "../crypto";
import { normaliseEmail } from "../domain/customer";
import type { AppEnv } from "../env";
import { clientAddress } from "../http/rate-limit";
import { requestDb } from "../request-db";
import { listCategories } from "../services/catalog-query";
import { confirmSubscription, requestSubscription } from "../services/newsletter";
import { shopOf } from "../services/shop";
import { renderDocument } from "../views/document";
import { Layout } from "../views/layout";
import { formOf, NO_STORE, text } from "./shopper-session";

const emailField = z.email("Enter a valid email address, like name@example.com.").max(254);

async function answer(c: Context<AppEnv>, status: 200 | 400 | 429, title: string, sentence: string) {
  const html = await renderDocument(
    <Layout
      shop={shopOf(c.env)}
      title={title}
      description={sentence}
      path="/newsletter"
      categories={await listCategories(requestDb(c))}
      head={<meta name="robots" content="noindex" />}
    >
      <section class="account narrow" role="status">
        <h1>{title}</h1>
        <p class="break">{sentence}</p>
      </section>
    </Layout>,
  );
  return c.html(html, status, NO_STORE);
}

/** Newsletter sign-up with double opt-in: the form (in every page's footer) emails a link; following it subscribes. */
export const newsletterPages = new Hono<AppEnv>()
  .use("/newsletter", csrf())
  .use("/newsletter/*", csrf())
  .post("/newsletter", async (c) => {
    const form = await formOf(c);
    const parsed = emailField.safeParse(text(form.email).trim());
    if (!parsed.success) return answer(c, 400, "Check the address", parsed.error.issues[0]?.message ?? "Enter a valid email address.");
    const email = normaliseEmail(parsed.data);
    const verdicts = await Promise.all([
      c.env.ACCOUNT_LOGIN_CLIENT_LIMITER.limit({ key: `newsletter:${clientAddress(c) ?? "no-address"}` }),
      c.env.ACCOUNT_LOGIN_EMAIL_LIMITER.limit({ key: `newsletter:${await sha256Hex(email)}` }),
    ]);
    if (verdicts.some((v) => !v.success)) {
      c.header("Retry-After", "60");
      return answer(c, 429, "Too many sign-ups", "Wait a minute, then try again.");
    }
    await requestSubscription(c.env, requestDb(c), email);
    return answer(c, 200, "Check your email", `If ${email} can receive mail, a link to confirm your subscription is on its way.`);
  })
  // The emailed link shows a button: mail scanners that open links must not subscribe anyone.
  .get("/newsletter/confirm", async (c) => {
    const fields = { email: c.req.query("email") ?? "", t: c.req.query("t") ?? "", sig: c.req.query("sig") ?? "" };
    const html = await renderDocument(
      <Layout
        shop={shopOf(c.env)}
        title="Confirm your subscription"
        description="Confirm your subscription."
        path="/newsletter/confirm"
        categories={await listCategories(requestDb(c))}
        head={<meta name="robots" content="noindex" />}
      >
        <section class="account narrow">
          <h1>Confirm your subscription</h1>
          <form method="post" action="/newsletter/confirm">
            {Object.entries(fields).map(([name, value]) => (
              <input type="hidden" name={name} value={value.slice(0, 300)} />
            ))}
            <p class="break">Send news and offers to {fields.email.slice(0, 254)}?</p>
            <button type="submit">Yes, subscribe me</button>
          </form>
        </section>
      </Layout>,
    );
    return c.html(html, 200, { ...NO_STORE, "Referrer-Policy": "no-referrer" });
  })
  .post("/newsletter/confirm", async (c) => {
    const form = await formOf(c);
    const ok = await confirmSubscription(c.env, requestDb(c), text(form.email), text(form.t), text(form.sig));
    if (!ok) return answer(c, 400, "This link has expired", "Sign up again from the form at the bottom of any page.");
    return answer(c, 200, "You're subscribed", "Thank you. Every email has a link to unsubscribe.");
  });

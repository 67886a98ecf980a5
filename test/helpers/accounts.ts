import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createDb } from "../../src/db";
import type { EmailType } from "../../src/domain/notification";
import { renderNotification } from "../../src/queues/emails-consumer";
import { type Browser, csrfOf } from "./browser";

let seq = 0;
/** A fresh client address, so per-client limits of one test never touch another's. */
export const freshAddress = () => `198.51.100.${(seq++ % 250) + 1}`;

/** The sign-in link in the newest sign-in email to `email`, rendered as the email sender renders it. */
export async function signInLinkFor(email: string): Promise<string> {
  const row = await env.DB.prepare(
    "select type, data from notifications where type = 'account.login' and recipient = ? order by created_at desc, rowid desc limit 1",
  )
    .bind(email.trim().toLowerCase())
    .first<{ type: string; data: string }>();
  expect(row, `no sign-in email to ${email}`).toBeTruthy();
  const rendered = await renderNotification(env, createDb(env.DB), row!.type as EmailType, JSON.parse(row!.data));
  const link = /https?:\/\/\S+\/account\/verify\?token=\S+/.exec(rendered.text)?.[0];
  expect(link, rendered.text).toBeTruthy();
  return link!;
}

/** Signs a browser in by email link; returns the account page's form token. */
export async function signIn(browser: Browser, email: string): Promise<string> {
  const asked = await browser.post("/account/login", { email });
  expect(asked.status).toBe(200);
  const link = new URL(await signInLinkFor(email));
  const verified = await browser.request(`${link.pathname}${link.search}`);
  expect(verified.status).toBe(303);
  expect(verified.headers.get("Location")).toBe("/account");
  const page = await browser.page("/account");
  expect(page).toContain("Your account");
  return csrfOf(page);
}

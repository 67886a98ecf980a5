import { Hono } from "hono";
import { UUID_PATTERN } from "../../domain/ids";
import { parseDecimal } from "../../domain/money";
import type { AppEnv } from "../../env";
import { DomainError, notFound } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { adjustGiftCard, getGiftCard, issuedCardId, issueGiftCard, listGiftCards, setGiftCardDisabled } from "../../services/gift-cards";
import { shopOf } from "../../services/shop";
import { fieldErrors } from "../../validation";
import { GiftCardPage, GiftCardsPage } from "../../views/admin/gift-cards";
import { giftCardBody } from "../admin-gift-cards";
import { adminContext, formAction, formOf, redirectWith, renderPage, text } from "./kit";

const GIFT_CARD_ID = /^gc_[0-9a-f]{20}$/;

/** Admin pages for gift cards: list and find, issue (the code shown on the answer page only), ledger, switch off and on. */
export const giftCardPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const raw = c.req.query("last4")?.trim().toUpperCase();
    const last4 = raw && /^[A-Z0-9]{4}$/.test(raw) ? raw : undefined;
    return renderPage(
      c,
      ctx,
      <GiftCardsPage ctx={ctx} items={(await listGiftCards(requestDb(c), { last4, limit: 200 })).items} last4={last4} />,
    );
  })
  .post("/", async (c) => {
    const form = await formOf(c);
    const currency = shopOf(c.env).currency;
    const amount = text(form, "amount").trim();
    const expires = text(form, "expiresAt").trim();
    const parsed = giftCardBody.safeParse({
      amount: amount ? parseDecimal(amount, currency) : undefined,
      recipientEmail: text(form, "recipientEmail").trim() || undefined,
      note: text(form, "note").trim() || undefined,
      expiresAt: /^\d{4}-\d{2}-\d{2}$/.test(expires) ? `${expires}T23:59:59Z` : expires || undefined,
    });
    if (!parsed.success) {
      const why = fieldErrors(parsed.error, "form")
        .map((e) => `${e.field}: ${e.message}`)
        .join("; ");
      return redirectWith(c, "/admin/gift-cards", `No gift card was issued (${why}).`, "error");
    }
    const b = parsed.data;
    try {
      // The form's own key makes a refreshed or doubled submit the same card (and code), not a second one.
      const key = text(form, "issueKey");
      const { card, code } = await issueGiftCard(c.env, requestDb(c), {
        ...(UUID_PATTERN.test(key) ? { id: await issuedCardId(adminActor(c), key) } : {}),
        amount: b.amount,
        currency,
        recipientEmail: b.recipientEmail ?? null,
        note: b.note ?? null,
        ...(b.expiresAt ? { expiresAt: new Date(b.expiresAt) } : {}),
        actor: adminActor(c),
      });
      // The code is shown in this answer only (never in a URL or a later page), so no redirect.
      const ctx = adminContext(c);
      return renderPage(c, ctx, <GiftCardPage ctx={ctx} card={await getGiftCard(c.env, requestDb(c), card.id)} code={code} />, 200);
    } catch (err) {
      if (err instanceof DomainError && err.kind !== "internal") return redirectWith(c, "/admin/gift-cards", err.detail, "error");
      throw err;
    }
  })
  .get("/:id", async (c) => {
    const ctx = adminContext(c);
    const id = c.req.param("id");
    if (!GIFT_CARD_ID.test(id)) throw notFound("Gift card", id);
    return renderPage(c, ctx, <GiftCardPage ctx={ctx} card={await getGiftCard(c.env, requestDb(c), id)} />);
  })
  .post("/:id/adjust", async (c) => {
    const id = c.req.param("id");
    if (!GIFT_CARD_ID.test(id)) throw notFound("Gift card", id);
    const form = await formOf(c);
    const raw = text(form, "amount").trim();
    const negative = raw.startsWith("-");
    const units = raw ? parseDecimal(raw.replace(/^[-+]/, ""), shopOf(c.env).currency) : 0;
    const date = text(form, "expiresAt").trim();
    const never = text(form, "neverExpires") === "yes";
    const reason = text(form, "reason").trim();
    const key = text(form, "adjustKey");
    if (
      units === undefined ||
      !reason ||
      reason.length > 200 ||
      (!units && !date && !never) ||
      (date && !/^\d{4}-\d{2}-\d{2}$/.test(date))
    ) {
      return redirectWith(c, `/admin/gift-cards/${id}`, "Give an amount like 5.00 or -5.00 and/or a new expiry, and a reason.", "error");
    }
    return formAction(c, `/admin/gift-cards/${id}`, "Gift card adjusted.", () =>
      adjustGiftCard(c.env, requestDb(c), id, {
        amount: negative ? -units : units,
        ...(never ? { expiresAt: null } : date ? { expiresAt: new Date(`${date}T23:59:59Z`) } : {}),
        reason,
        key: `${adminActor(c)}:${UUID_PATTERN.test(key) ? key : crypto.randomUUID()}`,
      }),
    );
  })
  .post("/:id/:state{enable|disable}", async (c) => {
    const id = c.req.param("id");
    if (!GIFT_CARD_ID.test(id)) throw notFound("Gift card", id);
    const off = c.req.param("state") === "disable";
    return formAction(c, `/admin/gift-cards/${id}`, off ? "Gift card switched off." : "Gift card switched on.", () =>
      setGiftCardDisabled(c.env, requestDb(c), id, off),
    );
  });

import { Hono } from "hono";
import { parseDecimal } from "../../domain/money";
import type { AppEnv } from "../../env";
import { notFound } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { createDiscount, generateCodes, getDiscount, listDiscounts, setActive } from "../../services/discount-admin";
import { shopOf } from "../../services/shop";
import { fieldErrors } from "../../validation";
import { DiscountPage, DiscountsPage } from "../../views/admin/discounts";
import { discountBody } from "../admin-discounts";
import { adminContext, formAction, formActionTo, formOf, redirectWith, renderPage, text } from "./kit";

const DISCOUNT_ID = /^dsc_[0-9a-f]{20}$/;

/** Admin pages for discounts: list and create, detail with code generation, switching on and off. */
export const discountPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <DiscountsPage ctx={ctx} items={(await listDiscounts(c.env, requestDb(c))).items} />);
  })
  .post("/", async (c) => {
    const form = await formOf(c);
    const currency = shopOf(c.env).currency;
    const kind = text(form, "kind");
    const money = (name: string) => {
      const raw = text(form, name).trim();
      return raw ? parseDecimal(raw, currency) : undefined;
    };
    const whole = (name: string) => (text(form, name).trim() ? Number(text(form, name)) : undefined);
    const utc = (name: string) => {
      const v = text(form, name).trim();
      return v ? `${v}${v.length === 16 ? ":00" : ""}Z` : undefined;
    };
    const rawValue = text(form, "value").trim();
    const candidate = {
      kind,
      value: kind === "fixed" ? money("value") : rawValue ? Number(rawValue) : 0,
      code: text(form, "code").trim() || undefined,
      automatic: !text(form, "code").trim(),
      buyQuantity: kind === "buy_x_get_y" ? whole("buyQuantity") : undefined,
      getQuantity: kind === "buy_x_get_y" ? whole("getQuantity") : undefined,
      minimumSubtotal: money("minimumSubtotal"),
      usageLimit: whole("usageLimit"),
      perCustomerLimit: whole("perCustomerLimit"),
      startsAt: utc("startsAt"),
      endsAt: utc("endsAt"),
      firstOrderOnly: text(form, "firstOrderOnly") === "yes",
      combinable: text(form, "combinable") === "yes",
    };
    const parsed = discountBody.safeParse(candidate);
    if (!parsed.success) {
      const why = fieldErrors(parsed.error, "form")
        .map((e) => `${e.field}: ${e.message}`)
        .join("; ");
      return redirectWith(c, "/admin/discounts", `The discount was not created (${why}).`, "error");
    }
    const b = parsed.data;
    const input = { ...b, startsAt: b.startsAt ? new Date(b.startsAt) : undefined, endsAt: b.endsAt ? new Date(b.endsAt) : undefined };
    return formActionTo(
      c,
      "/admin/discounts",
      () => createDiscount(requestDb(c), input, currency, adminActor(c)),
      (created) => ({ location: `/admin/discounts/${created.id}`, text: "Discount created." }),
    );
  })
  .get("/:id", async (c) => {
    const ctx = adminContext(c);
    const id = c.req.param("id");
    if (!DISCOUNT_ID.test(id)) throw notFound("Discount", id);
    const batch = c.req.query("batch");
    const count = Number(c.req.query("count") ?? "0");
    const made = batch && /^batch_[0-9a-f]{20}$/.test(batch) && Number.isInteger(count) ? { id: batch, count } : undefined;
    return renderPage(c, ctx, <DiscountPage ctx={ctx} discount={await getDiscount(c.env, requestDb(c), id)} batch={made} />);
  })
  .post("/:id/codes", async (c) => {
    const id = c.req.param("id");
    if (!DISCOUNT_ID.test(id)) throw notFound("Discount", id);
    const form = await formOf(c);
    const count = Number(text(form, "count"));
    const prefix = text(form, "prefix").trim();
    if (!Number.isInteger(count) || count < 1 || count > 10_000 || !/^[A-Za-z0-9_-]{0,20}$/.test(prefix)) {
      return redirectWith(
        c,
        `/admin/discounts/${id}`,
        "Generate from 1 to 10,000 codes; a prefix of up to 20 letters, digits, - or _.",
        "error",
      );
    }
    return formActionTo(
      c,
      `/admin/discounts/${id}`,
      () => generateCodes(requestDb(c), id, count, prefix),
      (made) => ({
        location: `/admin/discounts/${id}?batch=${made.batch}&count=${made.codes.length}`,
        text: `${made.codes.length} codes generated.`,
      }),
    );
  })
  .post("/:id/:state{enable|disable}", async (c) => {
    const id = c.req.param("id");
    if (!DISCOUNT_ID.test(id)) throw notFound("Discount", id);
    const on = c.req.param("state") === "enable";
    return formAction(c, `/admin/discounts/${id}`, on ? "Discount switched on." : "Discount switched off.", () =>
      setActive(c.env, requestDb(c), id, on),
    );
  });

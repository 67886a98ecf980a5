import { Hono } from "hono";
import { CUSTOMER_ID_PATTERN, RFM_SEGMENTS, type SegmentRules } from "../../domain/customer";
import { parseDecimal } from "../../domain/money";
import type { AppEnv } from "../../env";
import { notFound } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { createSegment, customerDetail, listCustomers, mergeCustomers, removeSegment, segmentsList } from "../../services/customers";
import { shopOf } from "../../services/shop";
import { CustomerPage, CustomersPage, SegmentsPage } from "../../views/admin/customers";
import { adminContext, formAction, formOf, pageOf, queryText, redirectWith, renderPage, text, texts } from "./kit";

const PAGE_SIZE = 50;

/** Admin pages for customers: search and segment filter, detail, merging duplicates. */
export const customerPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const q = queryText(c, "q", 254);
    const db = requestDb(c);
    const segments = (await segmentsList(db)).items;
    const s = c.req.query("segment");
    const segment = segments.some((x) => x.slug === s) ? s : undefined;
    const page = pageOf(c);
    const list = await listCustomers(db, shopOf(c.env).currency, { q, segment, page, limit: PAGE_SIZE });
    return renderPage(
      c,
      ctx,
      <CustomersPage ctx={ctx} items={list.items} page={page} hasMore={list.hasMore} segments={segments} query={{ q, segment }} />,
    );
  })
  .get("/:id", async (c) => {
    const ctx = adminContext(c);
    const id = c.req.param("id");
    if (!CUSTOMER_ID_PATTERN.test(id)) throw notFound("Customer", id);
    const customer = await customerDetail(requestDb(c), shopOf(c.env).currency, id);
    return renderPage(c, ctx, <CustomerPage ctx={ctx} customer={customer} />);
  })
  .post("/:id/merge", async (c) => {
    const id = c.req.param("id");
    if (!CUSTOMER_ID_PATTERN.test(id)) throw notFound("Customer", id);
    const from = text(await formOf(c), "from").slice(0, 254);
    return formAction(c, `/admin/customers/${id}`, "Merged: the duplicate's orders and details are now on this customer.", () =>
      mergeCustomers(requestDb(c), shopOf(c.env).currency, id, from, { actor: adminActor(c), requestId: c.get("requestId") ?? null }),
    );
  });

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Admin pages for segments: sizes, defining one by rules, removing one. */
export const segmentPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <SegmentsPage ctx={ctx} items={(await segmentsList(requestDb(c))).items} />);
  })
  .post("/", async (c) => {
    const form = await formOf(c);
    const rules: SegmentRules = {};
    const spent = text(form, "minSpent");
    if (spent) {
      const minor = parseDecimal(spent, shopOf(c.env).currency);
      if (minor === undefined) return redirectWith(c, "/admin/segments", "Spent at least: enter an amount such as 50 or 49.90.", "error");
      rules.minSpent = minor;
    }
    const orders = text(form, "minOrders");
    if (orders) {
      if (!/^\d{1,6}$/.test(orders)) return redirectWith(c, "/admin/segments", "Orders at least: enter a whole number.", "error");
      rules.minOrders = Number(orders);
    }
    for (const key of ["lastOrderAfter", "lastOrderBefore"] as const) {
      const day = text(form, key);
      if (!day) continue;
      if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
        return redirectWith(c, "/admin/segments", "Enter dates as a calendar day (YYYY-MM-DD).", "error");
      }
      rules[key] = day;
    }
    const consent = text(form, "consent");
    if (consent) rules.consent = consent === "yes";
    const scored = texts(form, "rfmSegments").filter((s) => (RFM_SEGMENTS as readonly string[]).includes(s));
    if (scored.length) rules.rfmSegments = scored as SegmentRules["rfmSegments"];
    const slug = text(form, "slug").trim();
    const name = text(form, "name").trim().slice(0, 80);
    if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(slug) || !name) {
      return redirectWith(c, "/admin/segments", "Give the segment a name and a short name of lowercase letters, digits, - and _.", "error");
    }
    return formAction(c, "/admin/segments", `Segment “${name}” created.`, () =>
      createSegment(requestDb(c), { slug, name, rules }, adminActor(c)),
    );
  })
  .post("/:slug/delete", async (c) =>
    formAction(c, "/admin/segments", "Segment removed.", () => removeSegment(requestDb(c), c.req.param("slug"))),
  );

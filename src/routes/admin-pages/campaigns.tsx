import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { createCampaign, getCampaign, listCampaigns, sendCampaign, sendTestCampaign, updateCampaign } from "../../services/campaigns";
import { listProducts } from "../../services/catalog-query";
import { segmentsList } from "../../services/customers";
import { exportView, requestSegmentExport } from "../../services/exports";
import { shopOf } from "../../services/shop";
import { CampaignPage, CampaignsPage, ExportPage } from "../../views/admin/campaigns";
import { adminContext, formAction, formActionTo, formOf, redirectWith, renderPage, text, texts } from "./kit";

const CAMPAIGN_ID = /^cmp_[0-9a-f]{20}$/;

async function composeOptions(c: Context<AppEnv>) {
  const db = requestDb(c);
  const [segments, products] = await Promise.all([
    segmentsList(db),
    listProducts(db, { sort: "newest", page: 1, limit: 60 }, shopOf(c.env).currency),
  ]);
  return { segments: segments.items, products: products.items.map((p) => ({ id: p.id, title: p.title })) };
}

async function composed(c: Context<AppEnv>) {
  const form = await formOf(c);
  return {
    subject: text(form, "subject").trim().slice(0, 150),
    body: text(form, "body").trim().slice(0, 20_000),
    segment: text(form, "segment"),
    productIds: texts(form, "productIds")
      .filter((v) => /^[1-9]\d{0,9}$/.test(v))
      .map(Number)
      .slice(0, 6),
  };
}

/** Admin pages for campaigns: compose, edit, test, send, follow. */
export const campaignPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const [list, options] = await Promise.all([listCampaigns(requestDb(c)), composeOptions(c)]);
    return renderPage(c, ctx, <CampaignsPage ctx={ctx} items={list.items} options={options} />);
  })
  .post("/", async (c) => {
    const input = await composed(c);
    if (!input.subject || !input.body) return redirectWith(c, "/admin/campaigns", "Give the campaign a subject and a text.", "error");
    return formActionTo(
      c,
      "/admin/campaigns",
      () => createCampaign(requestDb(c), input, adminActor(c)),
      (created) => ({ location: `/admin/campaigns/${created.id}`, text: "Draft saved. Send yourself a test before sending it." }),
    );
  })
  .get("/:id", async (c) => {
    const ctx = adminContext(c);
    const id = c.req.param("id");
    if (!CAMPAIGN_ID.test(id)) throw notFound("Campaign", id);
    const [campaign, options] = await Promise.all([getCampaign(requestDb(c), id), composeOptions(c)]);
    const audience = options.segments.find((s) => s.slug === campaign.segment)?.customers ?? 0;
    return renderPage(c, ctx, <CampaignPage ctx={ctx} campaign={campaign} options={options} audience={audience} />);
  })
  .post("/:id", async (c) => {
    const id = c.req.param("id");
    if (!CAMPAIGN_ID.test(id)) throw notFound("Campaign", id);
    const input = await composed(c);
    if (!input.subject || !input.body) return redirectWith(c, `/admin/campaigns/${id}`, "Give the campaign a subject and a text.", "error");
    return formAction(c, `/admin/campaigns/${id}`, "Changes saved.", () => updateCampaign(requestDb(c), id, input));
  })
  .post("/:id/test", async (c) => {
    const id = c.req.param("id");
    if (!CAMPAIGN_ID.test(id)) throw notFound("Campaign", id);
    const to = text(await formOf(c), "to").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to) || to.length > 254)
      return redirectWith(c, `/admin/campaigns/${id}`, "Enter an email address for the test.", "error");
    return formAction(c, `/admin/campaigns/${id}`, `Test sent to ${to}.`, () => sendTestCampaign(c.env, requestDb(c), id, to));
  })
  .post("/:id/send", async (c) => {
    const id = c.req.param("id");
    if (!CAMPAIGN_ID.test(id)) throw notFound("Campaign", id);
    return formAction(c, `/admin/campaigns/${id}`, "Sending: recipients are being queued.", () => sendCampaign(c.env, requestDb(c), id));
  });

/** Admin pages for segment exports: ask for one, then follow it to its download link. */
export const exportPages = new Hono<AppEnv>()
  .post("/segments/:slug/export", async (c) => {
    const slug = c.req.param("slug");
    return formActionTo(
      c,
      "/admin/segments",
      () => requestSegmentExport(c.env, requestDb(c), slug, adminActor(c)),
      (queued) => ({ location: `/admin/exports/${queued.id}`, text: "Export queued: the file is being written." }),
    );
  })
  .get("/exports/:id", async (c) => {
    const ctx = adminContext(c);
    const id = c.req.param("id");
    if (!/^exp_[0-9a-f]{20}$/.test(id)) throw notFound("Export", id);
    return renderPage(c, ctx, <ExportPage ctx={ctx} item={await exportView(c.env, requestDb(c), id)} />);
  });

import { configOf } from "../config";
import type { Db } from "../db";
import {
  type CampaignRow,
  campaignById,
  campaignCounts,
  consentingMembers,
  finishExpanding,
  insertCampaign,
  listCampaignRows,
  recordRecipients,
  startSending,
  updateDraft,
} from "../db/campaign-store";
import { formatMoney } from "../domain/money";
import type { CampaignEmail } from "../email/templates";
import type { Bindings } from "../env";
import { conflict, invalid, notFound } from "../errors";
import { log } from "../log";
import type { EmailJob } from "../queues/messages";
import { getProduct } from "./catalog-query";
import { segmentFilter } from "./customers";
import { queueEmail } from "./notifications";
import { unsubscribeLink } from "./signed-links";

/** Recipients expanded per queue message. */
export const EXPAND_BATCH = 500;

/** What staff compose. */
export interface CampaignInput {
  subject: string;
  body: string;
  productIds: number[];
  segment: string;
}

const newCampaignId = () => `cmp_${[...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;

async function checked(db: Db, input: CampaignInput) {
  await segmentFilter(db, input.segment);
  const products = await Promise.all(input.productIds.map((id) => getProduct(db, { id })));
  const missing = input.productIds.filter((_, i) => !products[i]);
  if (missing.length) {
    throw invalid("unknown_products", "Some product blocks name products that are not published.", [
      { field: "productIds", in: "json", message: `Not published: ${missing.join(", ")}.` },
    ]);
  }
}

/** A campaign with how its emails stand. */
export async function campaignView(db: Db, row: CampaignRow) {
  return {
    id: row.id,
    subject: row.subject,
    body: row.body,
    productIds: row.productIds,
    segment: row.segment,
    status: row.status,
    recipients: row.recipients,
    ...(await campaignCounts(db, row.id)),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    sendStartedAt: row.sendStartedAt?.toISOString() ?? null,
    expandedAt: row.expandedAt?.toISOString() ?? null,
  };
}
export type CampaignView = Awaited<ReturnType<typeof campaignView>>;

async function load(db: Db, id: string) {
  const row = await campaignById(db, id);
  if (!row) throw notFound("Campaign", id);
  return row;
}

/** A campaign by id, with its counts. */
export const getCampaign = async (db: Db, id: string) => campaignView(db, await load(db, id));

/** Campaigns, newest first, with their counts. */
export async function listCampaigns(db: Db) {
  return { items: await Promise.all((await listCampaignRows(db, 100)).map((r) => campaignView(db, r))) };
}

/** Creates a draft. */
export async function createCampaign(db: Db, input: CampaignInput, actor: string, now = new Date()) {
  await checked(db, input);
  const id = newCampaignId();
  await insertCampaign(db, { id, ...input, status: "draft", createdBy: actor, createdAt: now, updatedAt: now });
  return getCampaign(db, id);
}

/** Changes a draft (409 `campaign_not_draft` once sending started). */
export async function updateCampaign(db: Db, id: string, input: CampaignInput, now = new Date()) {
  await load(db, id);
  await checked(db, input);
  if (!(await updateDraft(db, id, input, now)))
    throw conflict("campaign_not_draft", "This campaign is already being sent; it can no longer change.");
  return getCampaign(db, id);
}

/** Sends the campaign to one address (staff checking it), marked as a test; it counts for nothing. */
export async function sendTestCampaign(env: Bindings, db: Db, id: string, to: string, now = new Date()) {
  await load(db, id);
  const testId = `campaign-test:${id}:${now.getTime().toString(36)}${crypto.getRandomValues(new Uint8Array(3)).join("")}`;
  await queueEmail(env, db, { id: testId, type: "campaign", to, data: { campaignId: id, email: to, test: true } }, now);
  return { queued: testId, to };
}

/** Starts sending: recipients are expanded by queued batches. Asking again sends nobody anything twice. */
export async function sendCampaign(env: Bindings, db: Db, id: string, now = new Date()) {
  const row = await load(db, id);
  const started = await startSending(db, id, now);
  // Asked again while recipients are still being expanded (say the first queueing failed): expanding
  // again from the start queues nobody twice.
  if (started || (row.status === "sending" && !row.expandedAt)) {
    await env.EMAILS.send({ type: "campaign.expand", campaignId: id, after: "" } satisfies EmailJob);
    if (started) log.info("campaign.sending", { campaignId: id, segment: row.segment });
  }
  return getCampaign(db, id);
}

/**
 * Expands one batch of a campaign's recipients (consenting members of its segment after `after`):
 * records them and their emails (once each, however often this batch is delivered), queues the emails
 * not yet sent, and queues the next batch, or marks the campaign fully expanded.
 */
export async function expandCampaign(env: Bindings, db: Db, campaignId: string, after: string, now = new Date()) {
  const row = await campaignById(db, campaignId);
  if (!row || row.status === "draft") return { recipients: 0, done: true };
  const members = await consentingMembers(db, await segmentFilter(db, row.segment), after, EXPAND_BATCH);
  const unsent = members.length ? await recordRecipients(db, campaignId, members, now) : [];
  for (let i = 0; i < unsent.length; i += 100) {
    await env.EMAILS.sendBatch(
      unsent.slice(i, i + 100).map((notificationId) => ({ body: { type: "email.send", notificationId } satisfies EmailJob })),
    );
  }
  const last = members[members.length - 1];
  if (members.length === EXPAND_BATCH && last) {
    await env.EMAILS.send({ type: "campaign.expand", campaignId, after: last.id } satisfies EmailJob);
    return { recipients: members.length, done: false };
  }
  await finishExpanding(db, campaignId, now);
  return { recipients: members.length, done: true };
}

/** A campaign as its email shows it to one recipient (product blocks as they are now, their own unsubscribe link). */
export async function campaignEmail(env: Bindings, db: Db, campaignId: string, recipient: string, test: boolean): Promise<CampaignEmail> {
  const row = await load(db, campaignId);
  const config = configOf(env);
  const products = (await Promise.all(row.productIds.map((id) => getProduct(db, { id })))).flatMap((p) => (p ? [p] : []));
  const unsubscribe = new URL(await unsubscribeLink(env, recipient));
  unsubscribe.searchParams.set("c", campaignId);
  return {
    subject: test ? `[Test] ${row.subject}` : row.subject,
    body: row.body,
    products: products.map((p) => {
      const v = p.variants[0];
      const image = p.media[0];
      return {
        title: p.title,
        url: new URL(`/p/${p.slug}`, config.publicBaseUrl).toString(),
        price: v ? formatMoney(v.price, config.shopLocale) : "",
        image: image ? new URL(`/media/${image.key}?w=160&format=jpeg`, config.publicBaseUrl).toString() : null,
      };
    }),
    unsubscribeUrl: unsubscribe.toString(),
  };
}

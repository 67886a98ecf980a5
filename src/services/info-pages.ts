import { configOf } from "../config";
import type { Db } from "../db";
import { deleteInfoPage, type InfoPageRow, infoPageRow, infoPageRows, upsertInfoPage } from "../db/info-page-store";
import {
  defaultInfoPage,
  INFO_PAGE_SLUGS,
  type InfoPage,
  type InfoPageSettings,
  type InfoPageSlug,
  isInfoPageSlug,
} from "../domain/info-pages";
import type { Bindings } from "../env";
import { notFound } from "../errors";

/** Who changes a page and when (written to the audit log). */
export interface InfoPageWriteContext {
  actor: string;
  requestId: string | null;
  now: Date;
}

/** The shop settings the default texts mention. */
export function infoPageSettings(env: Bindings): InfoPageSettings {
  const config = configOf(env);
  return { shopName: config.shopName, currency: config.shopCurrency, returnWindowDays: config.returnWindowDays };
}

/** The slug as one of the info pages; anything else is not found. */
export function infoPageSlug(slug: string): InfoPageSlug {
  if (!isInfoPageSlug(slug)) throw notFound("Page", slug.slice(0, 64));
  return slug;
}

function pageOf(slug: InfoPageSlug, row: InfoPageRow | undefined, settings: InfoPageSettings): InfoPage {
  if (row) return { slug, title: row.title, body: row.body, edited: true, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
  return { slug, ...defaultInfoPage(slug, settings), edited: false, updatedAt: null, updatedBy: null };
}

/** One info page: its edit if staff made one, else its default text. */
export async function getInfoPage(db: Db, settings: InfoPageSettings, slug: InfoPageSlug): Promise<InfoPage> {
  return pageOf(slug, await infoPageRow(db, slug), settings);
}

/** Every info page in footer order. */
export async function listInfoPages(db: Db, settings: InfoPageSettings): Promise<InfoPage[]> {
  const rows = await infoPageRows(db);
  return INFO_PAGE_SLUGS.map((slug) =>
    pageOf(
      slug,
      rows.find((r) => r.slug === slug),
      settings,
    ),
  );
}

/** Replaces a page's title and body, with an audit row. */
export async function saveInfoPage(
  db: Db,
  settings: InfoPageSettings,
  slug: InfoPageSlug,
  input: { title: string; body: string },
  ctx: InfoPageWriteContext,
): Promise<InfoPage> {
  const row: InfoPageRow = { slug, title: input.title, body: input.body, updatedAt: ctx.now, updatedBy: ctx.actor };
  await upsertInfoPage(db, row, { actor: ctx.actor, action: "update", changes: input, requestId: ctx.requestId, at: ctx.now });
  return pageOf(slug, row, settings);
}

/** Drops a page's edit so it shows its default text again, with an audit row (nothing to do for a page never edited). */
export async function restoreInfoPage(
  db: Db,
  settings: InfoPageSettings,
  slug: InfoPageSlug,
  ctx: InfoPageWriteContext,
): Promise<InfoPage> {
  if (!(await infoPageRow(db, slug))) return pageOf(slug, undefined, settings);
  await deleteInfoPage(db, slug, { actor: ctx.actor, action: "restore", changes: null, requestId: ctx.requestId, at: ctx.now });
  return pageOf(slug, undefined, settings);
}

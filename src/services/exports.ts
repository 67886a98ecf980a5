import { configOf } from "../config";
import { hmac, safeEqual } from "../crypto";
import type { Db } from "../db";
import { exportById, finishExport, insertExport, segmentMembers } from "../db/campaign-store";
import type { Bindings } from "../env";
import { notFound } from "../errors";
import { log } from "../log";
import type { EmailJob } from "../queues/messages";
import { segmentFilter } from "./customers";

/** How long a download link works. */
export const DOWNLOAD_LINK_MS = 15 * 60_000;
const PAGE = 1000;

/** Where an export's file lives in R2. */
export const exportKey = (id: string) => `exports/${id}.csv`;

const COLUMNS = [
  "email",
  "name",
  "phone",
  "orders_count",
  "lifetime_value",
  "currency",
  "average_order_value",
  "first_order_at",
  "last_order_at",
  "segment",
  "marketing_consent",
];

/** One CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const signature = (env: Bindings, id: string, expires: number) => hmac(configOf(env).sessionSecret, `export:${id}:${expires}`);

/** A signed link that downloads an export until it expires. */
export async function downloadUrl(env: Bindings, id: string, now = new Date()): Promise<string> {
  const expires = now.getTime() + DOWNLOAD_LINK_MS;
  const url = new URL(`/downloads/exports/${id}`, configOf(env).publicBaseUrl);
  url.searchParams.set("expires", String(expires));
  url.searchParams.set("sig", await signature(env, id, expires));
  return url.toString();
}

/** Whether a download link is genuine and still good. */
export async function downloadValid(env: Bindings, id: string, expires: string, sig: string, now = new Date()): Promise<boolean> {
  const at = Number(expires);
  if (!/^\d{1,15}$/.test(expires) || at < now.getTime()) return false;
  return safeEqual(sig, await signature(env, id, at));
}

/** An export as staff see it, with a fresh download link once written. */
export async function exportView(env: Bindings, db: Db, id: string) {
  const row = await exportById(db, id);
  if (!row) throw notFound("Export", id);
  return {
    id: row.id,
    segment: row.segment,
    status: row.status,
    rows: row.rows,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    downloadUrl: row.status === "done" ? await downloadUrl(env, row.id) : null,
  };
}

/** Queues a CSV of a segment's customers; the answer's id reads its progress and, once written, its link. */
export async function requestSegmentExport(env: Bindings, db: Db, segment: string, actor: string, now = new Date()) {
  await segmentFilter(db, segment);
  const id = `exp_${[...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  await insertExport(db, { id, segment, status: "queued", createdBy: actor, createdAt: now });
  await env.EMAILS.send({ type: "segment.export", exportId: id } satisfies EmailJob);
  return exportView(env, db, id);
}

/** Writes a queued export to R2 (all of it again if its message comes twice: the file is replaced whole). */
export async function writeSegmentExport(env: Bindings, db: Db, id: string, now = new Date()): Promise<void> {
  const row = await exportById(db, id);
  if (!row || row.status === "done") return;
  const currency = configOf(env).shopCurrency;
  const iso = (d: Date | null) => d?.toISOString() ?? "";
  try {
    const filter = await segmentFilter(db, row.segment);
    const lines = [COLUMNS.join(",")];
    let after = "";
    for (;;) {
      const page = await segmentMembers(db, filter, after, PAGE);
      for (const c of page) {
        const average = c.ordersCount ? Math.round(c.lifetimeValue / c.ordersCount) : 0;
        lines.push(
          [
            c.email,
            c.name,
            c.phone,
            c.ordersCount,
            c.lifetimeValue,
            currency,
            average,
            iso(c.firstOrderAt),
            iso(c.lastOrderAt),
            c.segment,
            c.marketingConsent,
          ]
            .map(csvCell)
            .join(","),
        );
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.id ?? after;
    }
    await env.MEDIA.put(exportKey(id), `${lines.join("\r\n")}\r\n`, { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
    await finishExport(db, id, { rows: lines.length - 1 }, now);
    log.info("export.written", { exportId: id, rows: lines.length - 1 });
  } catch (err) {
    await finishExport(db, id, { error: String(err) }, now);
    throw err;
  }
}

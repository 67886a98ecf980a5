import { type Context, Hono } from "hono";
import { bumpCatalogVersion } from "../../cache/catalog-cache";
import type { AppEnv } from "../../env";
import { adminActor } from "../../http/admin-auth";
import { log } from "../../log";
import { requestDb } from "../../request-db";
import { getInfoPage, infoPageSettings, infoPageSlug, listInfoPages, restoreInfoPage, saveInfoPage } from "../../services/info-pages";
import { fieldErrors } from "../../validation";
import { InfoPageEditPage, InfoPagesListPage } from "../../views/admin/info-pages";
import { infoPageInput } from "../admin-info-pages";
import { adminContext, formAction, formOf, redirectWith, renderPage } from "./kit";

const writeContext = (c: Context<AppEnv>) => ({ actor: adminActor(c), requestId: c.get("requestId"), now: new Date() });

/** Starts a new catalog version so the store shows the change on the next request. */
async function refreshStore(c: Context<AppEnv>) {
  try {
    await bumpCatalogVersion(c.env.CATALOG_CACHE, new Date());
  } catch (err) {
    log.error("catalog.invalidation_failed", { requestId: c.get("requestId"), error: err });
  }
}

/** A form field as typed (the first value; files and missing fields are empty). */
function field(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : "";
}

/** Admin pages for the info pages: the list, the edit form, and restoring the default text. */
export const infoPagePages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <InfoPagesListPage ctx={ctx} pages={await listInfoPages(requestDb(c), infoPageSettings(c.env))} />);
  })
  .get("/:slug", async (c) => {
    const slug = infoPageSlug(c.req.param("slug"));
    const page = await getInfoPage(requestDb(c), infoPageSettings(c.env), slug);
    const ctx = adminContext(c);
    return renderPage(c, ctx, <InfoPageEditPage ctx={ctx} page={page} values={page} errors={{}} />);
  })
  .post("/:slug", async (c) => {
    const slug = infoPageSlug(c.req.param("slug"));
    const form = await formOf(c);
    const values = { title: field(form, "title"), body: field(form, "body") };
    const parsed = infoPageInput.safeParse(values);
    if (!parsed.success) {
      const errors = Object.fromEntries(fieldErrors(parsed.error, "form").map((e) => [e.field, e.message]));
      const page = await getInfoPage(requestDb(c), infoPageSettings(c.env), slug);
      const ctx = adminContext(c);
      return renderPage(c, ctx, <InfoPageEditPage ctx={ctx} page={page} values={values} errors={errors} />, 400);
    }
    await saveInfoPage(requestDb(c), infoPageSettings(c.env), slug, parsed.data, writeContext(c));
    await refreshStore(c);
    return redirectWith(c, `/admin/pages/${slug}`, "Page saved; the store shows it now.");
  })
  .post("/:slug/restore", async (c) => {
    const slug = infoPageSlug(c.req.param("slug"));
    return formAction(c, `/admin/pages/${slug}`, "Default text restored.", async () => {
      await restoreInfoPage(requestDb(c), infoPageSettings(c.env), slug, writeContext(c));
      await refreshStore(c);
    });
  });

import { type Context, Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import { INFO_BODY_MAX, INFO_PAGE_SLUGS, INFO_TITLE_MAX, type InfoPage } from "../domain/info-pages";
import type { AppEnv } from "../env";
import { adminActor } from "../http/admin-auth";
import { InfoPageListSchema, InfoPageSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { getInfoPage, infoPageSettings, infoPageSlug, listInfoPages, restoreInfoPage, saveInfoPage } from "../services/info-pages";
import { validate } from "../validation";
import { invalidateCatalogOnWrite } from "./admin-catalog";

/** Admin info page request schema (PUT body). */
export const infoPageInput = z
  .object({
    title: z.string().trim().min(1, "Give the page a title.").max(INFO_TITLE_MAX, `At most ${INFO_TITLE_MAX} characters.`),
    body: z.string().trim().min(1, "Write the page's text.").max(INFO_BODY_MAX, `At most ${INFO_BODY_MAX} characters.`),
  })
  .strict();

const slugParam = z.object({
  slug: z
    .string()
    .max(64)
    .meta({ description: `One of ${INFO_PAGE_SLUGS.join(", ")}.` }),
});

const tags = ["Pages"];
const doc = {
  list: describeRoute({
    tags,
    summary: "List the info pages",
    description: "Shipping, returns, privacy, terms and contact, each with whether staff edited it.",
    responses: { 200: jsonBody("The five pages, in footer order.", InfoPageListSchema) },
  }),
  get: describeRoute({
    tags,
    summary: "Get an info page",
    description: "Its edited text, or the default text (built from the shop settings) until someone edits it.",
    responses: { 200: jsonBody("The page.", InfoPageSchema), ...problems(404) },
  }),
  put: describeRoute({
    tags,
    summary: "Edit an info page",
    description:
      "Plain text: blank lines part paragraphs, lines starting with `- ` are list items; no markup. Starts a new catalog version.",
    responses: { 200: jsonBody("The page after the change.", InfoPageSchema), ...problems(400, 404, 415) },
  }),
  restore: describeRoute({
    tags,
    summary: "Restore an info page's default text",
    description: "Drops the edit; starts a new catalog version.",
    responses: { 200: jsonBody("The page with its default text.", InfoPageSchema), ...problems(404) },
  }),
};

const view = (page: InfoPage) => ({ ...page, path: `/pages/${page.slug}` });
const summary = (page: InfoPage) => {
  const { body: _body, ...rest } = view(page);
  return rest;
};

const writeContext = (c: Context<AppEnv>) => ({ actor: adminActor(c), requestId: c.get("requestId"), now: new Date() });

/** Admin API for the info pages: read, edit, restore the default. */
export const adminInfoPages = new Hono<AppEnv>()
  .use("/*", invalidateCatalogOnWrite)
  .get("/", doc.list, async (c) => c.json({ items: (await listInfoPages(requestDb(c), infoPageSettings(c.env))).map(summary) }))
  .get("/:slug", doc.get, validate("param", slugParam), async (c) => {
    const slug = infoPageSlug(c.req.valid("param").slug);
    return c.json(view(await getInfoPage(requestDb(c), infoPageSettings(c.env), slug)));
  })
  .put("/:slug", doc.put, validate("param", slugParam), validate("json", infoPageInput), async (c) => {
    const slug = infoPageSlug(c.req.valid("param").slug);
    return c.json(view(await saveInfoPage(requestDb(c), infoPageSettings(c.env), slug, c.req.valid("json"), writeContext(c))));
  })
  .delete("/:slug", doc.restore, validate("param", slugParam), async (c) => {
    const slug = infoPageSlug(c.req.valid("param").slug);
    return c.json(view(await restoreInfoPage(requestDb(c), infoPageSettings(c.env), slug, writeContext(c))));
  });

import { Hono } from "hono";
import type { AppEnv } from "../env";
import { cached, HTML } from "../http/cached";
import { requestDb } from "../request-db";
import { getInfoPage, infoPageSettings, infoPageSlug } from "../services/info-pages";
import { shopOf } from "../services/shop";
import { renderDocument } from "../views/document";
import { InfoPageView } from "../views/pages/info";
import { shopCategories } from "./catalog-data";

/** The shop's info pages (shipping, returns, privacy, terms, contact), served from the versioned cache. */
export const infoPages = new Hono<AppEnv>().get("/pages/:slug", (c) => {
  const slug = infoPageSlug(c.req.param("slug"));
  return cached(c, `html:/pages/${slug}`, HTML, async () => {
    const [page, categories] = await Promise.all([getInfoPage(requestDb(c), infoPageSettings(c.env), slug), shopCategories(c)]);
    return { body: await renderDocument(<InfoPageView shop={shopOf(c.env)} categories={categories} page={page} />) };
  });
});

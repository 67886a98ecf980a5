import { type Context, Hono } from "hono";
import { bumpCatalogVersion } from "../../cache/catalog-cache";
import { configOf } from "../../config";
import type { AppEnv } from "../../env";
import { invalid } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { createCategory, deleteCategory, updateCategory } from "../../services/catalog-admin";
import { listCategories } from "../../services/catalog-query";
import { CategoriesPage } from "../../views/admin/categories";
import { adminContext, decimalId, formAction, formOf, renderPage, text } from "./kit";

const ctxOf = (c: Context<AppEnv>) => ({
  actor: adminActor(c),
  requestId: c.get("requestId"),
  now: new Date(),
  shopCurrency: configOf(c.env).shopCurrency,
});

function fields(form: Record<string, unknown>) {
  const name = text(form, "name");
  if (!name || name.length > 100) throw invalid("invalid_request", "Give the category a name of up to 100 characters.");
  const parent = text(form, "parentId");
  const parentId = parent ? decimalId(parent) : null;
  if (parentId === undefined) throw invalid("invalid_request", "Choose a parent category from the list.");
  return { name, parentId };
}

function categoryId(c: Context<AppEnv>) {
  const id = decimalId(c.req.param("id"));
  if (id === undefined) throw invalid("invalid_request", "Not a category.");
  return id;
}

/** Admin pages for the category tree. */
export const categoryPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    return renderPage(c, ctx, <CategoriesPage ctx={ctx} categories={await listCategories(requestDb(c))} />);
  })
  .post("/", async (c) => {
    const form = await formOf(c);
    return formAction(c, "/admin/categories", "Category created.", async () => {
      await createCategory(requestDb(c), fields(form), ctxOf(c));
      await bumpCatalogVersion(c.env.CATALOG_CACHE, new Date());
    });
  })
  .post("/:id{[1-9][0-9]*}", async (c) => {
    const form = await formOf(c);
    return formAction(c, "/admin/categories", "Category saved.", async () => {
      await updateCategory(requestDb(c), categoryId(c), fields(form), ctxOf(c));
      await bumpCatalogVersion(c.env.CATALOG_CACHE, new Date());
    });
  })
  .post("/:id{[1-9][0-9]*}/delete", async (c) =>
    formAction(c, "/admin/categories", "Category deleted.", async () => {
      await deleteCategory(requestDb(c), categoryId(c), ctxOf(c));
      await bumpCatalogVersion(c.env.CATALOG_CACHE, new Date());
    }),
  );

import type { Env, Hono, Schema } from "hono";
import { renderDocument } from "../views/document";
import { ApiDocsPage } from "../views/pages/api-docs";
import { openApiDocument } from "./documents";
import { referenceOf } from "./reference";

/** The HTML of `/docs`: every operation of the store and admin documents. */
export async function apiDocsHtml<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
  shopName: string,
): Promise<string> {
  const [store, admin] = await Promise.all([openApiDocument(app, "store"), openApiDocument(app, "admin")]);
  return renderDocument(<ApiDocsPage shopName={shopName} references={[referenceOf(store, "store"), referenceOf(admin, "admin")]} />);
}

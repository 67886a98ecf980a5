import { expect } from "vitest";
import { ADMIN, callJson } from "./worker";

let seq = 0;
/** A short unique suffix so tests sharing a file's storage never collide. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${(seq++).toString(36)}`;

export interface CreatedProduct {
  id: number;
  slug: string;
  title: string;
  variants: { sku: string; price: { amount: number; currency: string } }[];
}

/** Creates a category through the admin API. */
export async function makeCategory(overrides: Record<string, unknown> = {}): Promise<{ id: number; slug: string; name: string }> {
  const slug = unique("cat");
  const res = await callJson("/admin/api/categories", "POST", { name: `Category ${slug}`, slug, ...overrides }, ADMIN);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

/** Creates a published product with one variant through the admin API. */
export async function makeProduct(overrides: Record<string, unknown> = {}): Promise<CreatedProduct> {
  const slug = unique("prod");
  const res = await callJson(
    "/admin/api/products",
    "POST",
    {
      slug,
      title: `Product ${slug}`,
      description: "A sturdy everyday thing.",
      status: "published",
      variants: [{ sku: slug.toUpperCase(), options: { size: "M" }, price: { amount: 2500, currency: "USD" } }],
      ...overrides,
    },
    ADMIN,
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

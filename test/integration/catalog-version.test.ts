import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeProduct } from "../helpers/factories";
import { call } from "../helpers/worker";

// Another isolate's admin write, as this isolate sees it: D1 changed and a new version in KV.
async function writeFromAnotherIsolate(productId: number, title: string) {
  await env.DB.prepare("update products set title = ? where id = ?").bind(title, productId).run();
  await env.CATALOG_CACHE.put("catalog:version", `other-isolate-${crypto.randomUUID()}`);
}

describe("catalog version across isolates", () => {
  it("with CATALOG_VERSION_TTL_MS=0 sees another isolate's write on the very next request", async () => {
    const strict = { CATALOG_VERSION_TTL_MS: "0" };
    const product = await makeProduct({ title: "Before Bench" });
    expect(await (await call(`/p/${product.slug}`, {}, strict)).text()).toContain("Before Bench");
    await writeFromAnotherIsolate(product.id, "After Bench");
    const next = await call(`/p/${product.slug}`, {}, strict);
    expect(next.headers.get("X-Cache")).toBe("miss");
    expect(await next.text()).toContain("After Bench");
  });

  it("within the TTL reuses the version it read, then picks up the new one once it lapses", async () => {
    const product = await makeProduct({ title: "Before Stool" });
    const long = { CATALOG_VERSION_TTL_MS: "3600000" };
    await call(`/p/${product.slug}`, {}, { CATALOG_VERSION_TTL_MS: "0" });
    await writeFromAnotherIsolate(product.id, "After Stool");
    const within = await call(`/p/${product.slug}`, {}, long);
    expect(within.headers.get("X-Cache")).toBe("hit");
    expect(await within.text()).toContain("Before Stool");
    const lapsed = await call(`/p/${product.slug}`, {}, { CATALOG_VERSION_TTL_MS: "0" });
    expect(await lapsed.text()).toContain("After Stool");
  });

  it("does not serve pages cached by the previous deploy", async () => {
    const product = await makeProduct();
    const release = (id: string) => ({ VERSION: { id, tag: "", timestamp: "" } });
    await call(`/p/${product.slug}`, {}, release("release-a"));
    expect((await call(`/p/${product.slug}`, {}, release("release-a"))).headers.get("X-Cache")).toBe("hit");
    expect((await call(`/p/${product.slug}`, {}, release("release-b"))).headers.get("X-Cache")).toBe("miss");
  });
});

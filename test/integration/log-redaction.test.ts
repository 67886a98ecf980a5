import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { postLogin, signedIn } from "../helpers/admin-session";
import { addLine, checkout, makeCart, makeStockedProduct } from "../helpers/factories";
import { payOrder } from "../helpers/queues";
import { ADMIN, call, callJson } from "../helpers/worker";

/** Everything the Worker wrote to the console while `run` ran. */
async function captured(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  }
  await run();
  vi.restoreAllMocks();
  return lines.join("\n");
}

afterEach(() => vi.restoreAllMocks());

// Request lines are off in the test configuration; this file checks them too.
const settings = env as unknown as Record<string, string>;
beforeAll(() => {
  settings.LOG_REQUESTS = "true";
});
afterAll(() => {
  settings.LOG_REQUESTS = "false";
});

describe("logs", () => {
  it("carry request lines but never the shopper's email, name, address, order token or the staff password", async () => {
    const email = `private-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const secrets: string[] = [email, "Henrietta Secretperson", "77 Hidden Lane", "PRIVATE-ZIP-9"];
    const text = await captured(async () => {
      const { sku } = await makeStockedProduct(5);
      const cart = await makeCart();
      await addLine(cart, sku, 1);
      const res = await checkout(cart, crypto.randomUUID(), {
        email,
        shippingAddress: {
          name: "Henrietta Secretperson",
          line1: "77 Hidden Lane",
          city: "Lisbon",
          postalCode: "PRIVATE-ZIP-9",
          country: "PT",
        },
      });
      const placed = await res.json<{ orderId: string; orderToken: string; payment: { id: string } }>();
      secrets.push(placed.orderToken);
      await payOrder(placed.orderId, placed.payment.id);
      await call(`/api/orders/${placed.orderId}?token=${encodeURIComponent(placed.orderToken)}`);
      await call(`/api/orders/${placed.orderId}?token=wrong-${placed.orderToken}`);
      // A refused sign-in and a staff session's work.
      const browser = await signedIn("staff");
      secrets.push(browser.cookie.split("=")[1] as string, browser.csrf);
      await postLogin(browser.email, "the wrong password, typed in full");
      secrets.push("the wrong password, typed in full", "correct horse battery staple");
      await browser.get(`/admin/orders?q=${encodeURIComponent(email)}`);
      await callJson(`/admin/api/orders/${placed.orderId}/refund`, "POST", { amount: 1, reason: "test" }, ADMIN);
    });
    expect(text).toContain('"event":"request"');
    for (const secret of secrets) expect(text, `the logs contain ${secret.slice(0, 12)}…`).not.toContain(secret);
    expect(text).not.toContain("test-admin-token");
  });
});

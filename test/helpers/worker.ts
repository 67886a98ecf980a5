import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

export const ADMIN = { Authorization: "Bearer test-admin-token" };
export const VIEWER = { Authorization: "Bearer test-readonly-token" };

/** A test request typed as one arriving from Cloudflare's edge. */
export const incoming = (request: Request) => request as Request<unknown, IncomingRequestCfProperties>;

/** Sends a request through the whole Worker and waits for its background work (cache writes). */
export async function call(path: string, init: RequestInit = {}, overrides: Record<string, unknown> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    incoming(new Request(new URL(path, "https://shop.test"), init)),
    { ...env, ...overrides } as typeof env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** A JSON request through the whole Worker. */
export function callJson(
  path: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = ADMIN,
  overrides: Record<string, unknown> = {},
) {
  return call(path, { method, headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) }, overrides);
}

/** D1 statements the Worker sent for a response (from its X-D1-Queries header). */
export function d1Queries(res: Response): number {
  const header = res.headers.get("X-D1-Queries");
  if (header === null) throw new Error("response has no X-D1-Queries header");
  return Number(header);
}

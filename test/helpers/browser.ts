import { call } from "./worker";

export const ORIGIN = "https://shop.test";

/** A browser-like session: keeps cookies, sends same-origin form posts. */
export class Browser {
  cookies = new Map<string, string>();

  /** `env` overrides every request of this browser with (settings a test switches on); `headers` go on every request. */
  constructor(
    readonly env: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {}

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.headers)) if (!headers.has(k)) headers.set(k, v);
    if (!headers.has("Accept")) headers.set("Accept", "text/html");
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await call(path, { ...init, headers, redirect: "manual" }, this.env);
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, value] = pair!.split("=");
      if (!value || /Max-Age=0/i.test(cookie)) this.cookies.delete(name!);
      else this.cookies.set(name!, value);
    }
    return res;
  }

  post(path: string, fields: Record<string, string>, origin = ORIGIN) {
    return this.request(path, {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async page(path: string) {
    return (await this.request(path)).text();
  }
}

/** The cart form token in a rendered page. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

/** The checkout form's idempotency key in a rendered page. */
export const idempotencyKeyOf = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? "";

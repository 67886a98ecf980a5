import { call, callJson } from "./worker";

let counter = 0;

/** A staff account made through the bootstrap API (ADMIN_TOKEN), with a password good enough to pass. */
export async function makeStaff(role: "owner" | "staff" | "viewer", email = `${role}-${Date.now().toString(36)}-${++counter}@shop.test`) {
  const password = "correct horse battery staple";
  const res = await callJson("/admin/api/staff", "POST", { email, password, role });
  if (res.status !== 201) throw new Error(`makeStaff: ${res.status} ${await res.text()}`);
  const { id } = await res.json<{ id: string }>();
  return { id, email, password, role };
}

/** Posts the sign-in form as a browser would. */
export function postLogin(
  email: string,
  password: string,
  ip = `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  next?: string,
) {
  const body = new URLSearchParams({ email, password, ...(next ? { next } : {}) });
  return call("/admin/login", {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": ip },
    body,
  });
}

/** A signed-in browser: its session cookie and the CSRF token its pages carry. */
export interface Browser {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  /** Submits a form (the CSRF field added unless `csrf: false`). */
  post(path: string, fields: Record<string, string | string[]>, options?: { csrf?: boolean }): Promise<Response>;
  /** Submits a multipart form (file uploads) with the CSRF field. */
  upload(path: string, form: FormData): Promise<Response>;
}

/** Signs a staff member in through the form and reads the CSRF token from the dashboard. */
export async function signedIn(role: "owner" | "staff" | "viewer"): Promise<Browser & { email: string; id: string }> {
  const member = await makeStaff(role);
  const res = await postLogin(member.email, member.password);
  if (res.status !== 303) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const get = (path: string) => call(path, { headers: { Cookie: cookie, Accept: "text/html" }, redirect: "manual" });
  const page = await (await get("/admin/account")).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return {
    ...member,
    cookie,
    csrf,
    get,
    upload(path, form) {
      form.set("_csrf", csrf);
      return call(path, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Accept: "text/html" }, body: form });
    },
    post(path, fields, options = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      if (options.csrf !== false) body.set("_csrf", csrf);
      return call(path, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    },
  };
}

/** The one-time message a form left for the next page (read from its flash cookie). */
export function flashOf(res: Response): { kind: string; text: string } | undefined {
  const m = /admin_flash=([^;]+)/.exec(res.headers.get("Set-Cookie") ?? "");
  if (!m?.[1]) return undefined;
  const bytes = Uint8Array.from(atob(m[1].replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

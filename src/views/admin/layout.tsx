import type { Child } from "hono/jsx";
import type { Shop } from "../../domain/shop";
import type { Permission } from "../../domain/staff";
import { type ScriptName, scriptUrl } from "../assets";
import { ADMIN_STYLES } from "./styles";

/** What every admin page knows about the request: the shop, who is signed in, and this response's nonce. */
export interface AdminContext {
  shop: Shop;
  path: string;
  nonce: string;
  /** The session's CSRF token (empty for bearer-token callers, who never see forms). */
  csrf: string;
  actor: string;
  email?: string;
  role?: string;
  permissions: ReadonlySet<Permission>;
  owner: boolean;
  flash?: { kind: "ok" | "error"; text: string };
}

const NAV: { href: string; label: string; needs: Permission | "owner" }[] = [
  { href: "/admin", label: "Dashboard", needs: "orders:read" },
  { href: "/admin/orders", label: "Orders", needs: "orders:read" },
  { href: "/admin/returns", label: "Returns", needs: "orders:read" },
  { href: "/admin/customers", label: "Customers", needs: "customers:read" },
  { href: "/admin/segments", label: "Segments", needs: "customers:read" },
  { href: "/admin/reviews", label: "Reviews", needs: "catalog:read" },
  { href: "/admin/campaigns", label: "Campaigns", needs: "marketing:read" },
  { href: "/admin/discounts", label: "Discounts", needs: "marketing:read" },
  { href: "/admin/gift-cards", label: "Gift cards", needs: "marketing:read" },
  { href: "/admin/loyalty", label: "Loyalty", needs: "marketing:read" },
  { href: "/admin/products", label: "Products", needs: "catalog:read" },
  { href: "/admin/categories", label: "Categories", needs: "catalog:read" },
  { href: "/admin/pages", label: "Pages", needs: "catalog:read" },
  { href: "/admin/inventory", label: "Inventory", needs: "inventory:read" },
  { href: "/admin/shipping", label: "Shipping & tax", needs: "shipping:read" },
  { href: "/admin/events", label: "Failed events", needs: "events:read" },
  { href: "/admin/jobs", label: "Jobs", needs: "jobs:read" },
  { href: "/admin/audit", label: "Audit log", needs: "catalog:read" },
  { href: "/admin/staff", label: "Staff & tokens", needs: "staff:read" },
  { href: "/admin/settings", label: "Settings", needs: "settings:read" },
];

/** Whether the signed-in member may do something (pages hide what they may not). */
export const may = (ctx: AdminContext, permission: Permission) => ctx.permissions.has(permission);

function current(path: string, href: string) {
  return href === "/admin" ? path === "/admin" : path === href || path.startsWith(`${href}/`);
}

/** The head of every admin page: no indexing, the stylesheet and scripts under this response's nonce. */
export function AdminHead(props: { title: string; nonce: string; scripts?: ScriptName[]; external?: string[] }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{props.title}</title>
      <link rel="icon" href="data:," />
      <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: ADMIN_STYLES }} />
      {props.scripts?.map((name) => (
        <script nonce={props.nonce} src={scriptUrl(name)} defer />
      ))}
      {props.external?.map((src) => (
        <script nonce={props.nonce} src={src} async defer />
      ))}
    </head>
  );
}

/** The hidden field that carries the session's CSRF token in every form that changes something. */
export function Csrf(props: { ctx: AdminContext }) {
  return <input type="hidden" name="_csrf" value={props.ctx.csrf} />;
}

/** The admin page frame: top bar with the member and sign-out, navigation by permission, flash message. */
export function AdminLayout(props: { ctx: AdminContext; title: string; scripts?: ScriptName[]; children?: Child }) {
  const { ctx } = props;
  const links = NAV.filter((n) => (n.needs === "owner" ? ctx.owner : ctx.permissions.has(n.needs)));
  return (
    <html lang="en">
      <AdminHead title={`${props.title} · ${ctx.shop.name} admin`} nonce={ctx.nonce} scripts={props.scripts} />
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href="/admin">
              {ctx.shop.name} admin
            </a>
            <div class="who">
              <a href="/" target="_blank" rel="noopener">
                View store
              </a>
              {ctx.email ? (
                <>
                  <a href="/admin/account">
                    {ctx.email} ({ctx.role})
                  </a>
                  <form method="post" action="/admin/logout">
                    <Csrf ctx={ctx} />
                    <button type="submit">Sign out</button>
                  </form>
                </>
              ) : (
                <span>{ctx.actor}</span>
              )}
            </div>
          </div>
        </header>
        <nav class="admin" aria-label="Admin">
          <ul>
            {links.map((n) => (
              <li>
                <a href={n.href} aria-current={current(ctx.path, n.href) ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main">
          <h1>{props.title}</h1>
          {ctx.flash ? (
            <p class={ctx.flash.kind === "error" ? "flash error" : "flash"} role={ctx.flash.kind === "error" ? "alert" : "status"}>
              {ctx.flash.text}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

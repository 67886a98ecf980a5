/** The request classes the cost meter and metrics report on. */
export type RequestClass =
  | "catalog"
  | "search"
  | "cart"
  | "checkout"
  | "order"
  | "webhook"
  | "media"
  | "admin"
  | "asset"
  | "health"
  | "other";

/** The class of an HTTP request, by method, path and query (a product list with `q` searches). */
export function requestClass(method: string, p: string, search = ""): RequestClass {
  if (p === "/healthz") return "health";
  if (p.startsWith("/assets/") || p === "/favicon.ico") return "asset";
  if (p.startsWith("/media/")) return "media";
  if (p.startsWith("/webhooks/")) return "webhook";
  if (p === "/admin" || p.startsWith("/admin/")) return "admin";
  if ((method === "POST" && /^\/api\/carts\/[^/]+\/checkout$/.test(p)) || p === "/checkout") return "checkout";
  if (p.startsWith("/api/carts") || p.startsWith("/cart")) return "cart";
  if (p.startsWith("/api/orders") || p.startsWith("/orders/") || p.startsWith("/pay/") || p.startsWith("/checkout/")) return "order";
  if (p === "/search" || p.startsWith("/api/search") || (p === "/api/products" && new URLSearchParams(search).has("q"))) return "search";
  if (method === "GET" || method === "HEAD") return "catalog";
  return "other";
}

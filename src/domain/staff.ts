export const STAFF_ROLES = ["owner", "staff", "viewer"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * What the admin is divided into; every admin path belongs to exactly one area, and a request needs
 * the area's read (GET, HEAD) or write permission. A path in no area needs the owner.
 */
export const ADMIN_AREAS = [
  "catalog",
  "inventory",
  "orders",
  "shipping",
  "events",
  "jobs",
  "customers",
  "marketing",
  "staff",
  "settings",
] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

export type Permission = `${AdminArea}:${"read" | "write"}`;

/** Every permission there is (token scopes are chosen from these). */
export const PERMISSIONS: readonly Permission[] = ADMIN_AREAS.flatMap((a) => [`${a}:read`, `${a}:write`] as Permission[]);

/** What a named API token may be given: everything but staff management (tokens never mint staff or tokens). */
export const TOKEN_SCOPES: readonly Permission[] = PERMISSIONS.filter((p) => !p.startsWith("staff:"));

const ALL_READ = ADMIN_AREAS.filter((a) => a !== "staff").map((a) => `${a}:read` as Permission);

/** What each role may do: owners everything; staff run the catalog, stock, orders and customers; viewers read. */
export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, ReadonlySet<Permission>>> = {
  owner: new Set(PERMISSIONS),
  staff: new Set<Permission>([
    ...ALL_READ,
    "catalog:write",
    "inventory:write",
    "orders:write",
    "events:write",
    "customers:write",
    "marketing:write",
  ]),
  viewer: new Set(ALL_READ),
};

/** A role or a token's scopes as one set of permissions (write implies read). */
export function permissionsOf(grants: Iterable<string>): Set<Permission> {
  const out = new Set<Permission>();
  for (const g of grants) {
    if (!(PERMISSIONS as readonly string[]).includes(g)) continue;
    out.add(g as Permission);
    if (g.endsWith(":write")) out.add(g.replace(/:write$/, ":read") as Permission);
  }
  return out;
}

/** Admin paths by area (first match wins); `/admin/api/x` and the page `/admin/x` share an area. */
const AREA_PREFIXES: [string, AdminArea][] = [
  ["products", "catalog"],
  ["variants", "catalog"],
  ["categories", "catalog"],
  ["media", "catalog"],
  ["audit", "catalog"],
  ["pages", "catalog"],
  ["reviews", "catalog"],
  ["inventory", "inventory"],
  ["orders", "orders"],
  ["returns", "orders"],
  ["payments", "orders"],
  ["shipping", "shipping"],
  ["tax-rates", "shipping"],
  ["webhook-events", "events"],
  ["notifications", "events"],
  ["events", "events"],
  ["jobs", "jobs"],
  ["reports", "jobs"],
  ["metrics", "jobs"],
  ["cost", "jobs"],
  ["customers", "customers"],
  ["segments", "customers"],
  ["exports", "customers"],
  ["campaigns", "marketing"],
  ["discounts", "marketing"],
  ["gift-cards", "marketing"],
  ["loyalty", "marketing"],
  ["staff", "staff"],
  ["tokens", "staff"],
  ["sessions", "staff"],
  ["settings", "settings"],
  ["openapi.json", "settings"],
];

/** Admin paths any signed-in staff member may use, whatever their role (their own account, signing out). */
const SELF_SERVICE = new Set(["logout", "account"]);

/** Whether a path is one every signed-in staff member may use. */
export function isSelfService(path: string): boolean {
  return SELF_SERVICE.has(path.replace(/^\/admin\/?/, "").split("/")[0] ?? "");
}

/** The area an admin path belongs to, or undefined (owner only). The dashboard (`/admin`) reads orders. */
export function areaOf(path: string): AdminArea | undefined {
  const rest = path.replace(/^\/admin(\/api)?\/?/, "");
  if (rest === "") return "orders";
  const first = rest.split("/")[0] ?? "";
  return AREA_PREFIXES.find(([prefix]) => prefix === first)?.[1];
}

/** The permission a request needs (reading, or changing; creation forms need the right to change). */
export function permissionFor(method: string, path: string): Permission | undefined {
  const area = areaOf(path);
  if (!area) return undefined;
  // A form that creates something (`…/new`) is only for those who may create it.
  const reads = (method === "GET" || method === "HEAD") && !path.endsWith("/new");
  return `${area}:${reads ? "read" : "write"}`;
}

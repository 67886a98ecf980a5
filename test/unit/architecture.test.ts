import { describe, expect, it } from "vitest";

// Every source file of the Worker, as text (read at build time; nothing runs).
const sources = import.meta.glob(["/src/**/*.{ts,tsx}", "/durable-objects/**/*.ts", "/cron/**/*.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+["']([^"']+)["']/gm;

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const parts = from.split("/").slice(0, -1);
  for (const piece of spec.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== ".") parts.push(piece);
  }
  const base = parts.join("/");
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => candidate in sources);
}

const edges: Edge[] = Object.entries(sources).flatMap(([file, text]) =>
  [...text.matchAll(IMPORT)].flatMap((m) => {
    const to = resolve(file, m[3] as string);
    return to ? [{ from: file, to, typeOnly: m[2] !== undefined }] : [];
  }),
);
const externals = Object.entries(sources).flatMap(([file, text]) =>
  [...text.matchAll(IMPORT)].filter((m) => !(m[3] as string).startsWith(".")).map((m) => ({ from: file, to: m[3] as string })),
);

const within = (prefix: string) => (path: string) => path.startsWith(prefix);

/** Import edges from files matching `from` to files matching `to`. */
function crossing(from: (p: string) => boolean, to: (p: string) => boolean): string[] {
  return edges.filter((e) => from(e.from) && to(e.to)).map((e) => `${e.from} → ${e.to}`);
}

describe("architecture", () => {
  it("reads the whole source tree", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(80);
    expect(edges.length).toBeGreaterThan(200);
  });

  it("has no import cycles at run time", () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, "open");
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, "done");
    };
    for (const node of graph.keys()) if (!state.has(node)) visit(node);
    expect(cycles).toEqual([]);
  });

  it("keeps views to rendering what they are given", () => {
    const allowed = (p: string) => ["/src/views/", "/src/domain/", "/src/media/"].some((prefix) => p.startsWith(prefix));
    expect(crossing(within("/src/views/"), (p) => !allowed(p))).toEqual([]);
    expect(crossing(within("/src/email/templates"), (p) => !allowed(p))).toEqual([]);
  });

  it("keeps services, workflows and jobs free of HTTP", () => {
    const http = (p: string) =>
      ["/src/routes/", "/src/http/", "/src/app.ts", "/src/index.ts", "/src/validation.ts", "/src/request-db.ts"].some((x) =>
        p.startsWith(x),
      );
    for (const layer of ["/src/services/", "/src/workflows/", "/src/queues/", "/src/db/", "/src/domain/", "/durable-objects/", "/cron/"]) {
      expect(crossing(within(layer), http), layer).toEqual([]);
    }
    const honoInServices = externals.filter((e) => /^\/src\/(services|workflows|db|domain)\//.test(e.from) && e.to.startsWith("hono"));
    expect(honoInServices).toEqual([]);
  });

  it("lets routes reach storage only through services", () => {
    expect(crossing(within("/src/routes/"), within("/src/db/"))).toEqual([]);
  });

  it("keeps Durable Objects and signature checks below services", () => {
    const above = (p: string) => ["/src/services/", "/src/workflows/", "/src/queues/", "/src/routes/"].some((x) => p.startsWith(x));
    expect(crossing(within("/durable-objects/"), above)).toEqual([]);
    expect(crossing(within("/src/webhooks/"), above)).toEqual([]);
    expect(crossing(within("/src/cache/"), above)).toEqual([]);
  });

  it("keeps shared domain types free of everything but each other and errors", () => {
    const allowed = (p: string) => p.startsWith("/src/domain/") || p === "/src/errors.ts";
    expect(crossing(within("/src/domain/"), (p) => !allowed(p))).toEqual([]);
  });

  it("imports the app only from the Worker entry", () => {
    expect(
      crossing(
        (p) => p !== "/src/index.ts",
        (p) => p === "/src/app.ts",
      ),
    ).toEqual([]);
  });
});

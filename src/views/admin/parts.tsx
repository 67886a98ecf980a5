import type { Child } from "hono/jsx";

/** A status as a small coloured label. */
export function Badge(props: { value: string; tone?: "ok" | "warn" | "bad" }) {
  return <span class={props.tone ? `badge ${props.tone}` : "badge"}>{props.value.replace(/_/g, " ")}</span>;
}

const TONES: Record<string, "ok" | "warn" | "bad"> = {
  published: "ok",
  paid: "ok",
  fulfilled: "ok",
  shipped: "ok",
  delivered: "ok",
  succeeded: "ok",
  sent: "ok",
  processed: "ok",
  ok: "ok",
  received: "ok",
  approved: "ok",
  draft: "warn",
  pending_payment: "warn",
  pending: "warn",
  requested: "warn",
  queued: "warn",
  partially_refunded: "warn",
  partially_fulfilled: "warn",
  archived: "bad",
  cancelled: "bad",
  refunded: "bad",
  failed: "bad",
  rejected: "bad",
  error: "bad",
};

/** A status badge whose colour follows the value. */
export const StatusBadge = (props: { value: string }) => <Badge value={props.value} tone={TONES[props.value]} />;

/** A labelled field with an optional hint and error (the input is the child). */
export function Field(props: { label: string; for: string; hint?: string; error?: string; children?: Child }) {
  return (
    <div class="field">
      <label for={props.for}>{props.label}</label>
      {props.children}
      {props.hint ? <small id={`${props.for}-hint`}>{props.hint}</small> : null}
      {props.error ? (
        <span class="error" id={`${props.for}-error`}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

/** Previous/next links for a paged list, keeping the other query parameters. */
export function Pager(props: { path: string; query: Record<string, string | undefined>; page: number; limit: number; total: number }) {
  const pages = Math.max(1, Math.ceil(props.total / props.limit));
  const href = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(props.query)) if (v) q.set(k, v);
    q.set("page", String(page));
    return `${props.path}?${q}`;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {props.page > 1 ? <a href={href(props.page - 1)}>Previous</a> : null}
      <span>
        Page {props.page} of {pages} ({props.total} in all)
      </span>
      {props.page < pages ? <a href={href(props.page + 1)}>Next</a> : null}
    </nav>
  );
}

/** A UTC timestamp as short readable text. */
export const when = (iso: string | Date | null | undefined) =>
  iso ? (typeof iso === "string" ? iso : iso.toISOString()).replace("T", " ").slice(0, 16) + " UTC" : "—";

/** A table column: its heading, and whether it holds numbers, hides on phones, or is named for screen readers only. */
export type Column = string | { label: string; num?: boolean; hideSm?: boolean; hidden?: boolean };

/** A table that scrolls sideways on its own (reachable by keyboard) with a heading row; the rows are the children. */
export function Table(props: { columns: Column[]; id?: string; children?: Child }) {
  return (
    <div class="table-scroll" tabindex={0}>
      <table id={props.id}>
        <thead>
          <tr>
            {props.columns.map((c) => {
              const col = typeof c === "string" ? { label: c } : c;
              const cls = [col.num ? "num" : "", col.hideSm ? "hide-sm" : ""].join(" ").trim();
              return (
                <th scope="col" class={cls || undefined}>
                  {col.hidden ? <span class="skip">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

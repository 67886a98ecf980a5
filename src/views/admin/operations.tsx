import { formatMoney, type Money } from "../../domain/money";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { StatusBadge, Table, when } from "./parts";

/** A job with its last run. */
export interface JobRowView {
  job: string;
  lastRun: {
    status: string;
    trigger: string;
    startedAt: Date;
    finishedAt: Date | null;
    items: number;
    errors: number;
    detail: unknown;
  } | null;
}

/** Scheduled jobs with their last runs and a Run now button. */
export function JobsPage(props: { ctx: AdminContext; items: JobRowView[] }) {
  const { ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="Jobs">
      <Table columns={["Job", "Last run", { label: "Items", num: true }, { label: "Errors", num: true }, { label: "Run", hidden: true }]}>
        {props.items.map((j) => (
          <tr>
            <td>{j.job}</td>
            <td>
              {j.lastRun ? (
                <>
                  <StatusBadge value={j.lastRun.status} /> {when(j.lastRun.startedAt)} <span class="muted">({j.lastRun.trigger})</span>
                </>
              ) : (
                <span class="muted">never</span>
              )}
            </td>
            <td class="num">{j.lastRun?.items ?? 0}</td>
            <td class="num">{j.lastRun?.errors ?? 0}</td>
            <td>
              {may(ctx, "jobs:write") ? (
                <form method="post" action={`/admin/jobs/${j.job}/run`} class="inline">
                  <Csrf ctx={ctx} />
                  <button type="submit" class="secondary">
                    Run now
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
    </AdminLayout>
  );
}

/** A failed provider event or email. */
export interface FailedEventView {
  id: string;
  kind: "webhook" | "email";
  what: string;
  orderId: string | null;
  error: string | null;
  at: string;
}

/** An order cancelled because its payment arrived after its stock was sold to another order. */
export interface StockLostOrderView {
  id: string;
  total: Money;
  /** Whether the payment has gone back to the shopper (else the refund is still to be made). */
  moneyBack: boolean;
  at: string;
}

/** Failed webhook events and emails, each replayable, and the orders cancelled after payment because their stock was gone. */
export function EventsPage(props: {
  ctx: AdminContext;
  webhooks: FailedEventView[];
  emails: FailedEventView[];
  stockLost: StockLostOrderView[];
}) {
  const { ctx } = props;
  const list = (items: FailedEventView[], action: (e: FailedEventView) => string, label: string) =>
    items.length ? (
      <ul class="plain">
        {items.map((e) => (
          <li class="card">
            <strong>{e.what}</strong> <span class="muted">{when(e.at)}</span>
            {e.orderId ? (
              <>
                {" "}
                · <a href={`/admin/orders/${e.orderId}`}>{e.orderId}</a>
              </>
            ) : null}
            {e.error ? <p class="error wrap">{e.error}</p> : null}
            {may(ctx, "events:write") ? (
              <form method="post" action={action(e)} class="inline">
                <Csrf ctx={ctx} />
                <button type="submit" class="secondary">
                  {label}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    ) : (
      <p class="muted">None.</p>
    );
  return (
    <AdminLayout ctx={ctx} title="Failed events">
      <h2>Webhook events</h2>
      {list(props.webhooks, (e) => `/admin/events/webhooks/${e.id}/replay`, "Replay")}
      <h2>Emails</h2>
      {list(props.emails, (e) => `/admin/events/emails/${encodeURIComponent(e.id)}/resend`, "Send again")}
      <h2>Orders cancelled after payment (stock lost)</h2>
      {props.stockLost.length ? (
        <ul class="plain">
          {props.stockLost.map((o) => (
            <li class="card">
              <a href={`/admin/orders/${o.id}`}>{o.id}</a> <span class="muted">{when(o.at)}</span> · {formatMoney(o.total, ctx.shop.locale)}{" "}
              · {o.moneyBack ? "refunded" : <strong class="error">refund not made yet</strong>}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">None.</p>
      )}
    </AdminLayout>
  );
}

/** One audit row. */
export interface AuditRowView {
  id: number;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  changes: Record<string, unknown> | null;
}

/** The audit log, newest first, filterable by actor and entity. */
export function AuditPage(props: {
  ctx: AdminContext;
  items: AuditRowView[];
  next?: number;
  query: { actor?: string; entity?: string; entityId?: string };
}) {
  const { ctx, query } = props;
  const more = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) more.set(k, v);
  if (props.next) more.set("before", String(props.next));
  return (
    <AdminLayout ctx={ctx} title="Audit log">
      <form method="get" action="/admin/audit" class="row card">
        <div class="field">
          <label for="actor">Who</label>
          <input id="actor" name="actor" value={query.actor ?? ""} placeholder="staff:ana@example.com" />
        </div>
        <div class="field">
          <label for="entity">What</label>
          <input id="entity" name="entity" value={query.entity ?? ""} placeholder="product, orders, staff…" />
        </div>
        <div class="field">
          <label for="entityId">Id</label>
          <input id="entityId" name="entityId" value={query.entityId ?? ""} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <Table columns={["When", "Who", "Did", "To"]}>
        {props.items.map((r) => (
          <tr>
            <td>{when(r.at)}</td>
            <td class="wrap">{r.actor}</td>
            <td>
              {r.action}
              {r.changes ? (
                <details>
                  <summary>details</summary>
                  <pre class="wrap">{JSON.stringify(r.changes, null, 1).slice(0, 2000)}</pre>
                </details>
              ) : null}
            </td>
            <td class="wrap">
              {r.entity} {r.entityId}
            </td>
          </tr>
        ))}
      </Table>
      {props.next ? (
        <p>
          <a href={`/admin/audit?${more}`}>Older</a>
        </p>
      ) : null}
    </AdminLayout>
  );
}

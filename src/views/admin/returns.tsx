import { RETURN_STATUSES } from "../../domain/order";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field, StatusBadge, when } from "./parts";

/** A return as the list shows it. */
export interface ReturnRowView {
  id: string;
  orderId: string;
  status: string;
  reason: string;
  note: string | null;
  lines: { sku: string; quantity: number }[];
  createdAt: string;
}

function Actions(props: { ctx: AdminContext; r: ReturnRowView }) {
  const { ctx, r } = props;
  const post = (path: string, label: string, extra?: "note" | "note-required", danger = false) => (
    <form method="post" action={`/admin/returns/${r.id}/${path}`} class="inline">
      <Csrf ctx={ctx} />
      {extra ? (
        <Field label={extra === "note" ? "Note for the customer (optional)" : "Why (sent to the customer)"} for={`${path}-${r.id}`}>
          <input id={`${path}-${r.id}`} name="note" maxlength={500} required={extra === "note-required"} />
        </Field>
      ) : null}
      <button type="submit" class={danger ? "danger" : undefined}>
        {label}
      </button>
    </form>
  );
  if (r.status === "requested")
    return (
      <div class="actions">
        {post("approve", "Approve", "note")}
        {post("reject", "Reject", "note-required", true)}
      </div>
    );
  if (r.status === "approved") return <div class="actions">{post("receive", "Mark received (restocks)")}</div>;
  if (r.status === "received") return <div class="actions">{post("refund", "Refund returned units")}</div>;
  return null;
}

/** Returns by status with the next step each allows. */
export function ReturnsPage(props: { ctx: AdminContext; items: ReturnRowView[]; status?: string }) {
  const { ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="Returns">
      <form method="get" action="/admin/returns" class="row card">
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any</option>
            {RETURN_STATUSES.map((s) => (
              <option value={s} selected={props.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      {props.items.length ? (
        props.items.map((r) => (
          <section class="card" aria-label={`Return ${r.id}`}>
            <p>
              <StatusBadge value={r.status} /> <a href={`/admin/orders/${r.orderId}`}>{r.orderId}</a>{" "}
              <span class="muted">{when(r.createdAt)}</span>
            </p>
            <p>
              {r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")} — “{r.reason}”
            </p>
            {r.note ? <p class="muted">Note: {r.note}</p> : null}
            {may(ctx, "orders:write") ? <Actions ctx={ctx} r={r} /> : null}
          </section>
        ))
      ) : (
        <p>No returns.</p>
      )}
    </AdminLayout>
  );
}

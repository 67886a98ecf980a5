import { formatMoney, type Money } from "../../domain/money";
import { ORDER_STATUSES } from "../../domain/order";
import { type AdminContext, AdminLayout } from "./layout";
import { Pager, StatusBadge, Table, when } from "./parts";

/** One order in the admin list. */
export interface OrderRow {
  id: string;
  status: string;
  email: string;
  total: Money;
  refunded: Money;
  createdAt: Date;
}

/** Orders with search by number or email, status and date range. */
export function OrdersPage(props: {
  ctx: AdminContext;
  items: OrderRow[];
  total: number;
  page: number;
  limit: number;
  query: { q?: string; status?: string; from?: string; to?: string };
}) {
  const { ctx, query } = props;
  return (
    <AdminLayout ctx={ctx} title="Orders">
      <form method="get" action="/admin/orders" class="row card" role="search">
        <div class="field">
          <label for="q">Order number or email</label>
          <input id="q" name="q" type="search" value={query.q ?? ""} />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {s.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="from">Placed from</label>
          <input id="from" name="from" type="date" value={query.from ?? ""} />
        </div>
        <div class="field">
          <label for="to">to</label>
          <input id="to" name="to" type="date" value={query.to ?? ""} />
        </div>
        <button type="submit">Search</button>
      </form>
      {props.items.length ? (
        <Table columns={["Order", "Customer", "Status", { label: "Total", num: true }, { label: "Placed", hideSm: true }]}>
          {props.items.map((o) => (
            <tr>
              <td class="wrap">
                <a href={`/admin/orders/${o.id}`}>{o.id}</a>
              </td>
              <td class="wrap">{o.email}</td>
              <td>
                <StatusBadge value={o.status} />
              </td>
              <td class="num">
                {formatMoney(o.total, ctx.shop.locale)}
                {o.refunded.amount ? (
                  <>
                    <br />
                    <small class="muted">−{formatMoney(o.refunded, ctx.shop.locale)} refunded</small>
                  </>
                ) : null}
              </td>
              <td class="hide-sm">{when(o.createdAt)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>No orders match.</p>
      )}
      <Pager path="/admin/orders" query={query} page={props.page} limit={props.limit} total={props.total} />
    </AdminLayout>
  );
}

import { formatMoney } from "../../domain/money";
import { BarChart } from "./chart";
import { type AdminContext, AdminLayout, may } from "./layout";
import { Table } from "./parts";

interface Totals {
  orders: number;
  revenue: number;
}

/** Data the dashboard shows. */
export interface DashboardData {
  today: Totals;
  week: Totals;
  month: Totals;
  days: { day: string; orders: number; revenue: number }[];
  toFulfil: number;
  failedEvents: number;
  failedEmails: number;
  lowStock: { sku: string; available: number }[];
  lowStockCount: number;
}

/** The cost meter's last day, as the dashboard shows it. */
export interface CostSummary {
  total: number;
  orders: number;
  perThousandOrders: number | null;
  prices: { date: string };
  classes: { class: string; requests: number; cost: { total: number; perMillionRequests: number } }[];
}

function Running(props: { cost: CostSummary }) {
  const { cost } = props;
  const usd = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
  return (
    <section class="card" aria-labelledby="cost-h">
      <h2 id="cost-h">Running cost, last 24 hours</h2>
      <p class="stat">{usd(cost.total)}</p>
      <p class="muted">
        {cost.perThousandOrders === null ? "No orders yet" : `${usd(cost.perThousandOrders)} per thousand orders`} · Cloudflare prices of{" "}
        {cost.prices.date}
      </p>
      <Table columns={["Requests", { label: "Count", num: true }, { label: "$ per million", num: true }]}>
        {cost.classes.slice(0, 6).map((c) => (
          <tr>
            <td>{c.class}</td>
            <td class="num">{c.requests}</td>
            <td class="num">{usd(c.cost.perMillionRequests)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

/** The admin home: sales, work waiting, stock running low, failures, and what running the shop costs. */
export function DashboardPage(props: { ctx: AdminContext; data: DashboardData; cost?: CostSummary }) {
  const { ctx, data } = props;
  const money = (amount: number) => formatMoney({ amount, currency: ctx.shop.currency }, ctx.shop.locale);
  const stat = (label: string, t: Totals) => (
    <section class="card" aria-label={label}>
      <h2>{label}</h2>
      <p class="stat">{money(t.revenue)}</p>
      <p class="muted">{t.orders === 1 ? "1 paid order" : `${t.orders} paid orders`}</p>
    </section>
  );
  return (
    <AdminLayout ctx={ctx} title="Dashboard">
      <div class="grid">
        {stat("Today", data.today)}
        {stat("Last 7 days", data.week)}
        {stat("Last 30 days", data.month)}
      </div>
      <BarChart
        title="Paid sales per day net of refunds, last 30 days (UTC)"
        points={data.days.map((d) => ({ label: d.day, value: d.revenue, text: `${money(d.revenue)}, ${d.orders} orders` }))}
      />
      <div class="grid">
        <section class="card">
          <h2>To fulfil</h2>
          <p class="stat">{data.toFulfil}</p>
          <a href="/admin/orders?status=paid">Paid orders waiting to ship</a>
        </section>
        <section class="card">
          <h2>Low stock</h2>
          <p class="stat">{data.lowStockCount}</p>
          {data.lowStock.length ? (
            <ul>
              {data.lowStock.map((s) => (
                <li>
                  {may(ctx, "inventory:read") ? <a href={`/admin/inventory/${encodeURIComponent(s.sku)}`}>{s.sku}</a> : s.sku}:{" "}
                  {s.available} left
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">Nothing is running low.</p>
          )}
        </section>
        <section class="card">
          <h2>Failures</h2>
          <p class="stat">{data.failedEvents + data.failedEmails}</p>
          <p>
            {data.failedEvents} webhook events, {data.failedEmails} emails.{" "}
            {may(ctx, "events:read") ? <a href="/admin/events">Review and replay</a> : null}
          </p>
        </section>
      </div>
      {props.cost ? <Running cost={props.cost} /> : null}
    </AdminLayout>
  );
}

import { formatMoney } from "../../domain/money";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Badge, Field, Table, when } from "./parts";

/** A discount as the admin shows it. */
export interface DiscountRowView {
  id: string;
  title: string;
  kind: string;
  value: number;
  automatic: boolean;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  minimumSubtotal: number | null;
  startsAt: string | null;
  endsAt: string | null;
  firstOrderOnly: boolean;
  combinable: boolean;
  active: boolean;
  used: number;
  orders: number;
  discounted: number;
  codes: number | null;
}

const KINDS: Record<string, string> = {
  percentage: "Percentage off",
  fixed: "Amount off",
  free_shipping: "Free shipping",
  buy_x_get_y: "Buy X get Y",
};

/** Discounts with their uses, and defining a new one. */
export function DiscountsPage(props: { ctx: AdminContext; items: DiscountRowView[] }) {
  const { ctx } = props;
  const currency = ctx.shop.currency;
  return (
    <AdminLayout ctx={ctx} title="Discounts">
      {props.items.length ? (
        <Table columns={["Discount", "How", { label: "Used", num: true }, { label: "Taken off", num: true, hideSm: true }, "State"]}>
          {props.items.map((d) => (
            <tr>
              <td class="wrap">
                <a href={`/admin/discounts/${d.id}`}>{d.title}</a>
              </td>
              <td>{d.automatic ? "automatic" : `${d.codes ?? 0} code${d.codes === 1 ? "" : "s"}`}</td>
              <td class="num">
                {d.used}
                {d.usageLimit !== null ? ` / ${d.usageLimit}` : ""}
              </td>
              <td class="num hide-sm">{formatMoney({ amount: d.discounted, currency }, ctx.shop.locale)}</td>
              <td>{d.active ? <Badge value="active" tone="ok" /> : <Badge value="off" />}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>No discounts yet.</p>
      )}
      {may(ctx, "marketing:write") ? (
        <form method="post" action="/admin/discounts" class="card">
          <h2>New discount</h2>
          <Csrf ctx={ctx} />
          <Field label="Kind" for="d-kind">
            <select id="d-kind" name="kind">
              {Object.entries(KINDS).map(([k, label]) => (
                <option value={k}>{label}</option>
              ))}
            </select>
          </Field>
          <Field label={`Value (percent, or ${currency} for an amount off)`} for="d-value">
            <input id="d-value" name="value" inputmode="decimal" />
          </Field>
          <Field label="Code (empty for an automatic discount)" for="d-code">
            <input id="d-code" name="code" maxlength={40} />
          </Field>
          <Field label="Buy (units, for buy X get Y)" for="d-buy">
            <input id="d-buy" name="buyQuantity" type="number" min={1} max={100} />
          </Field>
          <Field label="Get (units at the percentage off)" for="d-get">
            <input id="d-get" name="getQuantity" type="number" min={1} max={100} />
          </Field>
          <Field label={`Minimum subtotal (${currency})`} for="d-min">
            <input id="d-min" name="minimumSubtotal" inputmode="decimal" />
          </Field>
          <Field label="Uses in all" for="d-limit">
            <input id="d-limit" name="usageLimit" type="number" min={1} />
          </Field>
          <Field label="Uses per customer" for="d-per">
            <input id="d-per" name="perCustomerLimit" type="number" min={1} />
          </Field>
          <Field label="Starts (UTC)" for="d-starts">
            <input id="d-starts" name="startsAt" type="datetime-local" />
          </Field>
          <Field label="Ends (UTC)" for="d-ends">
            <input id="d-ends" name="endsAt" type="datetime-local" />
          </Field>
          <label class="check">
            <input type="checkbox" name="firstOrderOnly" value="yes" /> First orders only
          </label>
          <label class="check">
            <input type="checkbox" name="combinable" value="yes" /> Combines with other discounts
          </label>
          <button type="submit">Create discount</button>
        </form>
      ) : null}
    </AdminLayout>
  );
}

/** One discount: its rules and uses, generating codes and downloading them, switching it off. */
export function DiscountPage(props: { ctx: AdminContext; discount: DiscountRowView; batch?: { id: string; count: number } }) {
  const { ctx, discount: d } = props;
  const money = (amount: number) => formatMoney({ amount, currency: ctx.shop.currency }, ctx.shop.locale);
  return (
    <AdminLayout ctx={ctx} title={d.title}>
      <p>
        <a href="/admin/discounts">← Discounts</a>
      </p>
      <section class="card" aria-label="Rules and uses">
        <dl class="kv">
          <dt>Kind</dt>
          <dd>
            {KINDS[d.kind] ?? d.kind}
            {d.kind === "fixed" ? `: ${money(d.value)}` : d.kind === "free_shipping" ? "" : `: ${d.value}%`}
          </dd>
          <dt>Applies</dt>
          <dd>{d.automatic ? "automatically" : "with a code"}</dd>
          <dt>Minimum subtotal</dt>
          <dd>{d.minimumSubtotal === null ? "none" : money(d.minimumSubtotal)}</dd>
          <dt>Window</dt>
          <dd>
            {when(d.startsAt)} – {when(d.endsAt)}
          </dd>
          <dt>Used</dt>
          <dd>
            {d.used}
            {d.usageLimit !== null ? ` of ${d.usageLimit}` : ""}
            {d.perCustomerLimit !== null ? `, at most ${d.perCustomerLimit} per customer` : ""}
          </dd>
          <dt>Orders / taken off</dt>
          <dd>
            {d.orders} / {money(d.discounted)}
          </dd>
          <dt>Other conditions</dt>
          <dd>
            {[d.firstOrderOnly ? "first orders only" : "", d.combinable ? "combines with others" : "does not combine"]
              .filter(Boolean)
              .join("; ")}
          </dd>
        </dl>
      </section>
      {!d.automatic ? (
        <section class="card" aria-labelledby="codes-heading">
          <h2 id="codes-heading">Codes</h2>
          <p>
            {d.codes ?? 0} codes. <a href={`/admin/api/discounts/${d.id}/codes.csv`}>Download all as CSV</a>
            {props.batch ? (
              <>
                {" "}
                · <a href={`/admin/api/discounts/${d.id}/codes.csv?batch=${props.batch.id}`}>Download the {props.batch.count} just made</a>
              </>
            ) : null}
          </p>
          {may(ctx, "marketing:write") ? (
            <form method="post" action={`/admin/discounts/${d.id}/codes`} class="row">
              <Csrf ctx={ctx} />
              <Field label="How many" for="gen-count">
                <input id="gen-count" name="count" type="number" min={1} max={10000} value="100" required />
              </Field>
              <Field label="Prefix" for="gen-prefix">
                <input id="gen-prefix" name="prefix" maxlength={20} />
              </Field>
              <button type="submit">Generate codes</button>
            </form>
          ) : null}
        </section>
      ) : null}
      {may(ctx, "marketing:write") ? (
        <form method="post" action={`/admin/discounts/${d.id}/${d.active ? "disable" : "enable"}`}>
          <Csrf ctx={ctx} />
          <button type="submit" class={d.active ? "danger" : undefined}>
            {d.active ? "Switch off" : "Switch on"}
          </button>
        </form>
      ) : null}
    </AdminLayout>
  );
}

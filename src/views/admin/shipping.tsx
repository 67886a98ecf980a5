import { formatMoney } from "../../domain/money";
import type { ShippingRate } from "../../domain/shipping";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field, Table } from "./parts";

/** A zone with its methods, as the page shows them. */
export interface ZoneView {
  id: number;
  name: string;
  areas: string[];
  methods: { id: string; name: string; rate: ShippingRate; minDays: number | null; maxDays: number | null; active: boolean }[];
}

/** A tax rate, as the page shows it. */
export interface TaxRateView {
  id: number;
  country: string;
  region: string;
  name: string;
  rateBps: number;
  inclusive: boolean;
  taxShipping: boolean;
}

function rateText(rate: ShippingRate, money: (n: number) => string): string {
  if (rate.type === "flat") return money(rate.amount);
  if (rate.type === "free_over") return `${money(rate.amount)}, free from ${money(rate.threshold)}`;
  return rate.bands.map((b) => `${money(b.amount)} up to ${b.upToGrams} g`).join("; ");
}

/** Shipping zones with their methods (offer or withdraw each) and tax rates (set one). */
export function ShippingPage(props: { ctx: AdminContext; zones: ZoneView[]; taxRates: TaxRateView[] }) {
  const { ctx } = props;
  const money = (amount: number) => formatMoney({ amount, currency: ctx.shop.currency }, ctx.shop.locale);
  const write = may(ctx, "shipping:write");
  return (
    <AdminLayout ctx={ctx} title="Shipping and tax">
      <p class="muted">Zones, methods and rates can also be edited in full through the admin API (see /docs).</p>
      {props.zones.map((z) => (
        <section class="card" aria-label={z.name}>
          <h2>{z.name}</h2>
          <p class="muted wrap">{z.areas.join(", ")}</p>
          <ul class="plain">
            {z.methods.map((m) => (
              <li>
                <strong>{m.name}</strong> · {rateText(m.rate, money)}
                {m.minDays !== null ? ` · ${m.minDays}–${m.maxDays ?? m.minDays} days` : ""}{" "}
                {m.active ? "" : <span class="badge bad">not offered</span>}
                {write ? (
                  <form method="post" action={`/admin/shipping/methods/${m.id}/${m.active ? "withdraw" : "offer"}`} class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="secondary">
                      {m.active ? "Stop offering" : "Offer"}
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section class="card" aria-labelledby="tax-h">
        <h2 id="tax-h">Tax rates</h2>
        <Table columns={["Where", "Name", { label: "Rate", num: true }, "Prices"]}>
          {props.taxRates.map((t) => (
            <tr>
              <td>
                {t.country}
                {t.region === "*" ? "" : `-${t.region}`}
              </td>
              <td>{t.name}</td>
              <td class="num">{(t.rateBps / 100).toFixed(2)} %</td>
              <td>{t.inclusive ? "include tax" : "tax added"}</td>
            </tr>
          ))}
        </Table>
        {write ? (
          <form method="post" action="/admin/shipping/tax-rates" class="row">
            <Csrf ctx={ctx} />
            <Field label="Country (US, DE…)" for="tax-country">
              <input id="tax-country" name="country" required maxlength={2} size={3} />
            </Field>
            <Field label="Region (optional)" for="tax-region">
              <input id="tax-region" name="region" maxlength={3} size={4} />
            </Field>
            <Field label="Name" for="tax-name">
              <input id="tax-name" name="name" required maxlength={60} />
            </Field>
            <Field label="Rate in %" for="tax-rate">
              <input id="tax-rate" name="rate" required inputmode="decimal" size={6} />
            </Field>
            <label>
              <input type="checkbox" name="inclusive" value="1" /> Prices include it
            </label>
            <button type="submit">Set rate</button>
          </form>
        ) : null}
      </section>
    </AdminLayout>
  );
}

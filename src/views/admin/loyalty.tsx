import type { LoyaltySettings } from "../../domain/loyalty";
import { formatMoney, toDecimalString } from "../../domain/money";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field } from "./parts";

/** The points rules, and changing them. */
export function LoyaltyPage(props: {
  ctx: AdminContext;
  settings: LoyaltySettings;
  members: { customers: number; available: number; pending: number };
}) {
  const { ctx, settings: s } = props;
  const money = (amount: number) => formatMoney({ amount, currency: ctx.shop.currency }, ctx.shop.locale);
  const readOnly = !may(ctx, "marketing:write");
  return (
    <AdminLayout ctx={ctx} title="Loyalty points">
      <section class="card" aria-label="Points now">
        <p>
          Points are <strong>{s.enabled ? "on" : "off"}</strong>. {props.members.customers} customers hold {props.members.available}{" "}
          spendable points (worth {money(Math.floor(props.members.available / s.redeemStep) * s.stepValue)}) and {props.members.pending}{" "}
          pending.
        </p>
      </section>
      <form method="post" action="/admin/loyalty" class="card">
        <h2>Rules</h2>
        <Csrf ctx={ctx} />
        <fieldset disabled={readOnly}>
          <legend class="skip">Points rules</legend>
          <label class="check">
            <input type="checkbox" name="enabled" value="yes" checked={s.enabled} /> Customers earn and spend points
          </label>
          <Field label={`Points earned per 1 ${ctx.shop.currency} spent on goods`} for="l-earn">
            <input id="l-earn" name="earnPerUnit" type="number" min={0} max={1000} value={String(s.earnPerUnit)} required />
          </Field>
          <Field label="Points spent in steps of" for="l-step">
            <input id="l-step" name="redeemStep" type="number" min={1} value={String(s.redeemStep)} required />
          </Field>
          <Field label={`Each step takes off (${ctx.shop.currency})`} for="l-value" hint={`Now ${money(s.stepValue)}.`}>
            <input
              id="l-value"
              name="stepValue"
              inputmode="decimal"
              value={toDecimalString({ amount: s.stepValue, currency: ctx.shop.currency })}
              required
            />
          </Field>
          <Field label="Days after payment before points can be spent (the return window)" for="l-pending">
            <input id="l-pending" name="pendingDays" type="number" min={0} max={365} value={String(s.pendingDays)} required />
          </Field>
          <Field label="Days spendable points last (0: never expire)" for="l-expiry">
            <input id="l-expiry" name="expiryDays" type="number" min={0} max={3650} value={String(s.expiryDays)} required />
          </Field>
          <button type="submit">Save rules</button>
        </fieldset>
      </form>
    </AdminLayout>
  );
}

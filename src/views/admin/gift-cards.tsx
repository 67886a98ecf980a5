import type { GiftCardDetail, GiftCardView } from "../../domain/gift-cards";
import { formatMoney } from "../../domain/money";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Badge, Field, Table, when } from "./parts";

const ENTRY_LABELS: Record<string, string> = {
  issue: "Issued",
  debit: "Paid an order",
  reverse: "Given back (order not paid)",
  credit: "Refunded onto the card",
  adjust: "Adjusted",
};

function State(props: { card: GiftCardView }) {
  const { card } = props;
  if (card.disabled) return <Badge value="disabled" tone="bad" />;
  if (card.expiresAt && Date.parse(card.expiresAt) <= Date.now()) return <Badge value="expired" tone="warn" />;
  if (card.balance.amount === 0) return <Badge value="spent" />;
  return <Badge value="active" tone="ok" />;
}

/** Gift cards with their balances, finding one by its last four characters, and issuing a new one. */
export function GiftCardsPage(props: { ctx: AdminContext; items: GiftCardView[]; last4?: string }) {
  const { ctx } = props;
  const m = (x: GiftCardView["balance"]) => formatMoney(x, ctx.shop.locale);
  return (
    <AdminLayout ctx={ctx} title="Gift cards">
      <form method="get" action="/admin/gift-cards" class="row" role="search">
        <Field label="Code ends with" for="gc-last4">
          <input id="gc-last4" name="last4" maxlength={4} value={props.last4 ?? ""} autocapitalize="characters" />
        </Field>
        <button type="submit" class="secondary">
          Find
        </button>
      </form>
      {props.items.length ? (
        <Table columns={["Card", { label: "Balance", num: true }, { label: "Issued for", num: true, hideSm: true }, "From", "State"]}>
          {props.items.map((g) => (
            <tr>
              <td>
                <a href={`/admin/gift-cards/${g.id}`}>…{g.last4}</a>
              </td>
              <td class="num">{m(g.balance)}</td>
              <td class="num hide-sm">{m(g.initialAmount)}</td>
              <td>{g.source === "order" && g.orderId ? <a href={`/admin/orders/${g.orderId}`}>bought</a> : "staff"}</td>
              <td>
                <State card={g} />
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>{props.last4 ? "No card ends with that." : "No gift cards yet."}</p>
      )}
      {may(ctx, "marketing:write") ? (
        <form method="post" action="/admin/gift-cards" class="card">
          <h2>Issue a gift card</h2>
          <Csrf ctx={ctx} />
          <input type="hidden" name="issueKey" value={crypto.randomUUID()} />
          <Field label={`Amount (${ctx.shop.currency})`} for="gc-amount">
            <input id="gc-amount" name="amount" inputmode="decimal" required />
          </Field>
          <Field label="Email the code to (optional)" for="gc-email">
            <input id="gc-email" name="recipientEmail" type="email" />
          </Field>
          <Field label="Message or note (optional)" for="gc-note">
            <input id="gc-note" name="note" maxlength={500} />
          </Field>
          <Field
            label="Expires (UTC, optional)"
            for="gc-expires"
            hint="Leave empty for the shop's default (no expiry unless one is configured)."
          >
            <input id="gc-expires" name="expiresAt" type="date" aria-describedby="gc-expires-hint" />
          </Field>
          <button type="submit">Issue gift card</button>
        </form>
      ) : null}
    </AdminLayout>
  );
}

/** One card: its balance and ledger; the code only on the page that issued it. */
export function GiftCardPage(props: { ctx: AdminContext; card: GiftCardDetail; code?: string }) {
  const { ctx, card } = props;
  const m = (x: GiftCardView["balance"]) => formatMoney(x, ctx.shop.locale);
  return (
    <AdminLayout ctx={ctx} title={`Gift card …${card.last4}`}>
      <p>
        <a href="/admin/gift-cards">← Gift cards</a>
      </p>
      {props.code ? (
        <section class="card notice ok" role="status" aria-labelledby="code-h">
          <h2 id="code-h">Gift card issued</h2>
          <p>
            Code: <code class="gift-code">{props.code}</code>
          </p>
          <p>Copy it now: it is shown only this once.{card.recipientEmail ? ` It has also been emailed to ${card.recipientEmail}.` : ""}</p>
        </section>
      ) : null}
      <section class="card" aria-label="Balance">
        <dl class="kv">
          <dt>Balance</dt>
          <dd>
            <strong>{m(card.balance)}</strong> of {m(card.initialAmount)} <State card={card} />
          </dd>
          <dt>Expires</dt>
          <dd>{card.expiresAt ? when(card.expiresAt) : "never"}</dd>
          <dt>Issued</dt>
          <dd>
            {when(card.createdAt)} by {card.createdBy}
            {card.orderId ? (
              <>
                {" "}
                (bought in <a href={`/admin/orders/${card.orderId}`}>{card.orderId}</a>)
              </>
            ) : null}
          </dd>
          {card.recipientEmail ? (
            <>
              <dt>Recipient</dt>
              <dd>{card.recipientEmail}</dd>
            </>
          ) : null}
          {card.note ? (
            <>
              <dt>Note</dt>
              <dd>{card.note}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section class="card" aria-labelledby="ledger-h">
        <h2 id="ledger-h">Ledger</h2>
        <Table columns={["When", "What", { label: "Amount", num: true }, { label: "Balance", num: true }, "Order"]}>
          {card.ledger.map((e) => (
            <tr>
              <td>{when(e.at)}</td>
              <td>{ENTRY_LABELS[e.kind] ?? e.kind}</td>
              <td class="num">{m(e.amount)}</td>
              <td class="num">{m(e.balance)}</td>
              <td>{e.orderId ? <a href={`/admin/orders/${e.orderId}`}>{e.orderId}</a> : ""}</td>
            </tr>
          ))}
        </Table>
      </section>
      {may(ctx, "marketing:write") ? (
        <form method="post" action={`/admin/gift-cards/${card.id}/adjust`} class="card">
          <h2>Adjust</h2>
          <Csrf ctx={ctx} />
          <input type="hidden" name="adjustKey" value={crypto.randomUUID()} />
          <Field label={`Add to the balance (${ctx.shop.currency}; negative takes off)`} for="gc-delta" hint="For example 5.00 or -5.00.">
            <input id="gc-delta" name="amount" inputmode="decimal" aria-describedby="gc-delta-hint" />
          </Field>
          <Field label="New expiry date (UTC, optional)" for="gc-new-expiry">
            <input id="gc-new-expiry" name="expiresAt" type="date" />
          </Field>
          <label class="check">
            <input type="checkbox" name="neverExpires" value="yes" /> Never expires
          </label>
          <Field label="Reason (kept in the ledger)" for="gc-reason">
            <input id="gc-reason" name="reason" maxlength={200} required />
          </Field>
          <button type="submit">Adjust card</button>
        </form>
      ) : null}
      {may(ctx, "marketing:write") ? (
        <form
          method="post"
          action={`/admin/gift-cards/${card.id}/${card.disabled ? "enable" : "disable"}`}
          data-confirm={card.disabled ? undefined : "Switch this gift card off? It will pay for nothing until switched on again."}
        >
          <Csrf ctx={ctx} />
          <button type="submit" class={card.disabled ? undefined : "danger"}>
            {card.disabled ? "Switch on" : "Switch off"}
          </button>
        </form>
      ) : null}
    </AdminLayout>
  );
}

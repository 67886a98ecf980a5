import type { Movement, StockSnapshot } from "../../domain/inventory";
import type { StockImportReportView } from "./inventory-types";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field, Pager, Table, when } from "./parts";

/** One SKU in the inventory list. */
export interface InventoryRow {
  sku: string;
  variantTitle: string;
  productId: number;
  productTitle: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number | null;
}

function ImportForm(props: { ctx: AdminContext }) {
  return (
    <form method="post" action="/admin/inventory/import" enctype="multipart/form-data" class="card">
      <Csrf ctx={props.ctx} />
      <h2>Update from a CSV file</h2>
      <p class="muted">
        The first line names the columns: <code>sku,on_hand</code> sets counted figures; <code>sku,adjust,reason</code> adds or takes away.
        The whole file is checked first; up to 500 rows a file.
      </p>
      <Field label="CSV file" for="csv">
        <input id="csv" name="file" type="file" accept=".csv,text/csv" required />
      </Field>
      <div>
        <label>
          <input type="checkbox" name="applyValid" value="1" /> Apply the valid rows even if some rows are refused
        </label>
      </div>
      <div>
        <label>
          <input type="checkbox" name="again" value="1" /> Apply it again if this same file was applied today
        </label>
      </div>
      <p>
        <button type="submit">Check and apply</button>
      </p>
    </form>
  );
}

/** Stock per SKU (live from each SKU's object), with search and the CSV upload. */
export function InventoryPage(props: { ctx: AdminContext; items: InventoryRow[]; total: number; page: number; limit: number; q?: string }) {
  const { ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="Inventory">
      <form method="get" action="/admin/inventory" class="row card" role="search">
        <div class="field">
          <label for="q">SKU or product</label>
          <input id="q" name="q" type="search" value={props.q ?? ""} />
        </div>
        <button type="submit">Search</button>
      </form>
      <Table
        columns={["SKU", "Product", { label: "On hand", num: true }, { label: "Reserved", num: true }, { label: "Available", num: true }]}
      >
        {props.items.map((i) => (
          <tr>
            <td class="wrap">
              <a href={`/admin/inventory/${encodeURIComponent(i.sku)}`}>{i.sku}</a>
            </td>
            <td>
              {i.productTitle} <span class="muted">{i.variantTitle}</span>
            </td>
            <td class="num">{i.onHand}</td>
            <td class="num">{i.reserved}</td>
            <td class="num">
              {i.available}
              {i.lowStockThreshold !== null && i.available <= i.lowStockThreshold ? (
                <>
                  {" "}
                  <span class="badge warn">low</span>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      <Pager path="/admin/inventory" query={{ q: props.q }} page={props.page} limit={props.limit} total={props.total} />
      {may(ctx, "inventory:write") ? <ImportForm ctx={ctx} /> : null}
    </AdminLayout>
  );
}

/** One SKU: its figures, open holds, the ledger, and set/adjust forms. */
export function StockPage(props: { ctx: AdminContext; stock: StockSnapshot & { ledger: Movement[] } }) {
  const { ctx, stock } = props;
  const action = `/admin/inventory/${encodeURIComponent(stock.sku)}`;
  return (
    <AdminLayout ctx={ctx} title={`Stock of ${stock.sku}`}>
      <p>
        <a href="/admin/inventory">All stock</a>
      </p>
      <div class="grid">
        <section class="card">
          <h2>On hand</h2>
          <p class="stat">{stock.onHand}</p>
        </section>
        <section class="card">
          <h2>Reserved</h2>
          <p class="stat">{stock.reserved}</p>
          <p class="muted">{stock.reservations.length} open holds</p>
        </section>
        <section class="card">
          <h2>Available</h2>
          <p class="stat">{stock.available}</p>
        </section>
      </div>
      {may(ctx, "inventory:write") ? (
        <div class="grid">
          <form method="post" action={action} class="card">
            <Csrf ctx={ctx} />
            <h2>Set the counted figure</h2>
            <Field label="On hand" for="set">
              <input id="set" name="set" type="number" min="0" max="100000" required value={String(stock.onHand)} />
            </Field>
            <Field label="Reason" for="set-reason">
              <input id="set-reason" name="reason" maxlength={200} placeholder="stock count" />
            </Field>
            <button type="submit">Set</button>
          </form>
          <form method="post" action={action} class="card">
            <Csrf ctx={ctx} />
            <h2>Adjust</h2>
            <Field label="Change (+ or −)" for="adjust" hint="For example 12 for a delivery, -2 for breakage.">
              <input id="adjust" name="adjust" type="number" min="-100000" max="100000" required />
            </Field>
            <Field label="Reason" for="adjust-reason">
              <input id="adjust-reason" name="reason" required maxlength={200} />
            </Field>
            <button type="submit">Adjust</button>
          </form>
        </div>
      ) : null}
      <section class="card" aria-labelledby="ledger-h">
        <h2 id="ledger-h">Ledger</h2>
        <Table columns={["When", "Movement", { label: "On hand", num: true }, { label: "Reserved", num: true }, "Reason"]}>
          {stock.ledger.map((m) => (
            <tr>
              <td>{when(new Date(m.at))}</td>
              <td>{m.kind}</td>
              <td class="num">
                {m.onHandAfter} ({m.onHandDelta >= 0 ? "+" : ""}
                {m.onHandDelta})
              </td>
              <td class="num">
                {m.reservedAfter} ({m.reservedDelta >= 0 ? "+" : ""}
                {m.reservedDelta})
              </td>
              <td class="wrap">{m.reason ?? m.reservationId ?? ""}</td>
            </tr>
          ))}
        </Table>
      </section>
    </AdminLayout>
  );
}

/** What a CSV upload did. */
export function StockImportPage(props: { ctx: AdminContext; report: StockImportReportView; applyValid: boolean }) {
  const { ctx, report } = props;
  const refusedAll = report.problems.length > 0 && report.applied.length === 0 && !props.applyValid;
  return (
    <AdminLayout ctx={ctx} title="Stock upload">
      <p>
        <a href="/admin/inventory">All stock</a>
      </p>
      <p class={report.problems.length || report.repeated ? "flash error" : "flash"} role="status">
        {report.repeated
          ? "Nothing was applied: this same file was applied in the last day. Tick “apply it again” to apply it once more."
          : refusedAll
            ? `Nothing was applied: ${report.problems.length} row(s) need fixing. Correct them and upload again, or tick "apply the valid rows".`
            : `Applied ${report.applied.length} row(s); ${report.problems.length} refused.`}
      </p>
      {report.problems.length ? (
        <section class="card">
          <h2>Refused rows</h2>
          <Table columns={["Line", "SKU", "Problem"]}>
            {report.problems.map((p) => (
              <tr>
                <td>{p.line}</td>
                <td class="wrap">{p.sku}</td>
                <td>{p.problem}</td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
      {report.applied.length ? (
        <section class="card">
          <h2>Applied rows</h2>
          <Table columns={["Line", "SKU", { label: "Before", num: true }, { label: "After", num: true }]}>
            {report.applied.map((a) => (
              <tr>
                <td>{a.line}</td>
                <td class="wrap">{a.sku}</td>
                <td class="num">{a.before ?? "—"}</td>
                <td class="num">{a.after}</td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
      <ImportFormAgain ctx={ctx} />
    </AdminLayout>
  );
}

function ImportFormAgain(props: { ctx: AdminContext }) {
  return may(props.ctx, "inventory:write") ? <ImportForm ctx={props.ctx} /> : null;
}

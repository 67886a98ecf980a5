import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field, StatusBadge, Table, when } from "./parts";

/** A campaign as the admin shows it. */
export interface CampaignRowView {
  id: string;
  subject: string;
  body: string;
  productIds: number[];
  segment: string;
  status: string;
  recipients: number;
  queued: number;
  sent: number;
  failed: number;
  unsubscribed: number;
  createdBy: string;
  createdAt: string;
  sendStartedAt: string | null;
}

type Options = { segments: { slug: string; name: string; customers: number }[]; products: { id: number; title: string }[] };

function Compose(props: { ctx: AdminContext; action: string; campaign?: CampaignRowView; options: Options; submit: string }) {
  const c = props.campaign;
  return (
    <form method="post" action={props.action} class="card">
      <Csrf ctx={props.ctx} />
      <Field label="Subject" for="subject">
        <input id="subject" name="subject" required maxlength={150} value={c?.subject ?? ""} />
      </Field>
      <Field label="Text" for="body" hint="Blank lines start new paragraphs. Every email ends with an unsubscribe link.">
        <textarea id="body" name="body" rows={8} required maxlength={20000} aria-describedby="body-hint">
          {c?.body ?? ""}
        </textarea>
      </Field>
      <Field label="Send to" for="segment">
        <select id="segment" name="segment" required>
          {props.options.segments.map((s) => (
            <option value={s.slug} selected={c?.segment === s.slug}>
              {s.name} ({s.customers})
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>Products to show (up to 6)</legend>
        <div class="checks">
          {props.options.products.map((p) => (
            <label class="check">
              <input type="checkbox" name="productIds" value={String(p.id)} checked={c?.productIds.includes(p.id)} /> {p.title}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit">{props.submit}</button>
    </form>
  );
}

/** Campaigns with their counts, and composing a new one. */
export function CampaignsPage(props: { ctx: AdminContext; items: CampaignRowView[]; options: Options }) {
  const { ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="Campaigns">
      {props.items.length ? (
        <Table columns={["Subject", "Segment", "Status", { label: "Sent", num: true }, { label: "Unsubscribed", num: true, hideSm: true }]}>
          {props.items.map((c) => (
            <tr>
              <td class="wrap">
                <a href={`/admin/campaigns/${c.id}`}>{c.subject}</a>
              </td>
              <td>{c.segment}</td>
              <td>
                <StatusBadge value={c.status} />
              </td>
              <td class="num">
                {c.sent} / {c.recipients}
              </td>
              <td class="num hide-sm">{c.unsubscribed}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>No campaigns yet.</p>
      )}
      {may(ctx, "marketing:write") ? (
        <>
          <h2>New campaign</h2>
          <Compose ctx={ctx} action="/admin/campaigns" options={props.options} submit="Save draft" />
        </>
      ) : null}
    </AdminLayout>
  );
}

/** One campaign: its progress, and while a draft, editing, a test to oneself and sending. */
export function CampaignPage(props: { ctx: AdminContext; campaign: CampaignRowView; options: Options; audience: number }) {
  const { ctx, campaign: c } = props;
  const draft = c.status === "draft";
  return (
    <AdminLayout ctx={ctx} title={c.subject}>
      <p>
        <a href="/admin/campaigns">← Campaigns</a>
      </p>
      <section class="card" aria-label="Progress">
        <dl class="kv">
          <dt>Status</dt>
          <dd>
            <StatusBadge value={c.status} />
          </dd>
          <dt>Segment</dt>
          <dd>
            <a href={`/admin/customers?segment=${encodeURIComponent(c.segment)}`}>{c.segment}</a>
          </dd>
          <dt>Recipients</dt>
          <dd>{c.recipients}</dd>
          <dt>Queued</dt>
          <dd>{c.queued}</dd>
          <dt>Sent</dt>
          <dd>{c.sent}</dd>
          <dt>Failed</dt>
          <dd>{c.failed}</dd>
          <dt>Unsubscribed</dt>
          <dd>{c.unsubscribed}</dd>
          <dt>Started</dt>
          <dd>{when(c.sendStartedAt)}</dd>
        </dl>
        {draft ? null : (
          <p>
            <a href={`/admin/campaigns/${c.id}`}>Refresh</a>
          </p>
        )}
      </section>
      {draft && may(ctx, "marketing:write") ? (
        <>
          <h2>Edit</h2>
          <Compose ctx={ctx} action={`/admin/campaigns/${c.id}`} campaign={c} options={props.options} submit="Save changes" />
          <form method="post" action={`/admin/campaigns/${c.id}/test`} class="card">
            <Csrf ctx={ctx} />
            <Field label="Send a test to" for="test-to">
              <input id="test-to" name="to" type="email" value={ctx.email ?? ""} required />
            </Field>
            <button type="submit" class="secondary">
              Send test
            </button>
          </form>
          <form method="post" action={`/admin/campaigns/${c.id}/send`} class="card">
            <Csrf ctx={ctx} />
            <p>
              Sends to the {props.audience} customers of <strong>{c.segment}</strong> who agreed to marketing email. It cannot be stopped
              once started.
            </p>
            <button type="submit" class="danger">
              Send to {props.audience} customers
            </button>
          </form>
        </>
      ) : (
        <section class="card" aria-label="Message">
          <h2>Message</h2>
          {c.body.split(/\n{2,}/).map((p) => (
            <p class="wrap">{p}</p>
          ))}
        </section>
      )}
    </AdminLayout>
  );
}

/** A segment export's progress and, once written, its download link. */
export function ExportPage(props: {
  ctx: AdminContext;
  item: { id: string; segment: string; status: string; rows: number; error: string | null; downloadUrl: string | null };
}) {
  const { item } = props;
  return (
    <AdminLayout ctx={props.ctx} title={`Export of ${item.segment}`}>
      <p>
        <StatusBadge value={item.status} />{" "}
        {item.status === "done" ? `${item.rows} customers.` : item.status === "failed" ? item.error : "Being written…"}
      </p>
      {item.downloadUrl ? (
        <p>
          <a href={item.downloadUrl}>Download the CSV</a> <span class="muted">(the link works for 15 minutes)</span>
        </p>
      ) : (
        <p>
          <a href={`/admin/exports/${item.id}`}>Refresh</a>
        </p>
      )}
    </AdminLayout>
  );
}

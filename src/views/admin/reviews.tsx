import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Badge, when } from "./parts";

/** A review as moderation shows it. */
export interface ReviewRowView {
  id: string;
  productTitle: string | null;
  productSlug: string | null;
  customerId: string;
  rating: number;
  title: string;
  body: string;
  authorName: string;
  status: string;
  flags: string[];
  createdAt: string;
  moderatedBy: string | null;
}

const FLAG_TEXT: Record<string, string> = { link: "has a link", banned_word: "banned word", too_short: "very short" };

/** The moderation queue (or approved / rejected reviews) with approve and reject buttons. */
export function ReviewsPage(props: { ctx: AdminContext; items: ReviewRowView[]; status: string }) {
  const { ctx } = props;
  const tabs = ["pending", "approved", "rejected"];
  return (
    <AdminLayout ctx={ctx} title="Reviews">
      <nav class="row" aria-label="Review status">
        {tabs.map((t) => (
          <a href={`/admin/reviews?status=${t}`} aria-current={t === props.status ? "page" : undefined}>
            {t === "pending" ? "Waiting" : t === "approved" ? "Approved" : "Rejected"}
          </a>
        ))}
      </nav>
      {props.items.length ? (
        props.items.map((r) => (
          <section class="card" aria-label={`Review ${r.id}`}>
            <p>
              <strong>
                {"★".repeat(r.rating)}
                {"☆".repeat(5 - r.rating)}
              </strong>{" "}
              <span class="vh">{r.rating} out of 5</span> <strong class="wrap">{r.title}</strong>{" "}
              {r.flags.map((f) => (
                <Badge value={FLAG_TEXT[f] ?? f} tone="warn" />
              ))}
            </p>
            <p class="wrap">{r.body}</p>
            <p class="muted wrap">
              {r.authorName} (<a href={`/admin/customers/${r.customerId}`}>customer</a>) on{" "}
              {r.productSlug ? <a href={`/p/${r.productSlug}`}>{r.productTitle}</a> : "a removed product"} · {when(r.createdAt)}
              {r.moderatedBy ? ` · by ${r.moderatedBy}` : ""}
            </p>
            {may(ctx, "catalog:write") ? (
              <div class="actions">
                {r.status !== "approved" ? (
                  <form method="post" action={`/admin/reviews/${r.id}/approve`} class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit">Approve</button>
                  </form>
                ) : null}
                {r.status !== "rejected" ? (
                  <form method="post" action={`/admin/reviews/${r.id}/reject`} class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="danger">
                      Reject
                    </button>
                  </form>
                ) : null}
              </div>
            ) : null}
          </section>
        ))
      ) : (
        <p>{props.status === "pending" ? "Nothing waiting." : "None."}</p>
      )}
    </AdminLayout>
  );
}

import { INFO_BODY_MAX, INFO_PAGE_LABELS, INFO_TITLE_MAX, type InfoPage } from "../../domain/info-pages";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Badge, Field, Table, when } from "./parts";

/** The info pages with whether each shows staff's text or the default. */
export function InfoPagesListPage(props: { ctx: AdminContext; pages: InfoPage[] }) {
  return (
    <AdminLayout ctx={props.ctx} title="Pages">
      <p class="muted">
        The pages linked from the store's footer. Until you edit one, it shows a default text built from the shop settings.
      </p>
      <Table columns={["Page", "Title", "Text", { label: "Updated", hideSm: true }, { label: "On the store", hidden: true }]}>
        {props.pages.map((p) => (
          <tr>
            <td>
              <a href={`/admin/pages/${p.slug}`}>{INFO_PAGE_LABELS[p.slug]}</a>
            </td>
            <td class="wrap">{p.title}</td>
            <td>{p.edited ? <Badge value="edited" tone="ok" /> : <Badge value="default" />}</td>
            <td class="hide-sm">{p.edited ? `${when(p.updatedAt)} by ${p.updatedBy}` : "—"}</td>
            <td>
              <a href={`/pages/${p.slug}`} target="_blank" rel="noopener">
                View<span class="skip"> {INFO_PAGE_LABELS[p.slug]} on the store</span>
              </a>
            </td>
          </tr>
        ))}
      </Table>
    </AdminLayout>
  );
}

/** An info page's edit form (title and plain-text body) and its way back to the default text. */
export function InfoPageEditPage(props: {
  ctx: AdminContext;
  page: InfoPage;
  values: { title: string; body: string };
  errors: Record<string, string>;
}) {
  const { ctx, page, values, errors } = props;
  const write = may(ctx, "catalog:write");
  const described = (name: string, hint: boolean) =>
    [hint ? `${name}-hint` : "", errors[name] ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <AdminLayout ctx={ctx} title={`Page: ${INFO_PAGE_LABELS[page.slug]}`} scripts={["admin"]}>
      <p>
        <a href="/admin/pages">All pages</a> ·{" "}
        <a href={`/pages/${page.slug}`} target="_blank" rel="noopener">
          View on the store
        </a>
      </p>
      <p class="muted">
        {page.edited ? `Edited ${when(page.updatedAt)} by ${page.updatedBy}.` : "Shows the default text; saving replaces it with yours."}
      </p>
      {errors.form ? (
        <p class="flash error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <form method="post" action={`/admin/pages/${page.slug}`} class="card">
        <Csrf ctx={ctx} />
        <Field label="Title" for="title" error={errors.title}>
          <input
            id="title"
            name="title"
            value={values.title}
            required
            maxlength={INFO_TITLE_MAX}
            readonly={!write}
            aria-invalid={errors.title ? "true" : undefined}
            aria-describedby={described("title", false)}
          />
        </Field>
        <Field
          label="Text"
          for="body"
          hint={`Plain text, up to ${INFO_BODY_MAX.toLocaleString("en-US")} characters. Leave a blank line between paragraphs; start a line with "- " for a list item.`}
          error={errors.body}
        >
          <textarea
            id="body"
            name="body"
            rows={18}
            required
            maxlength={INFO_BODY_MAX}
            readonly={!write}
            aria-invalid={errors.body ? "true" : undefined}
            aria-describedby={described("body", true)}
          >
            {values.body}
          </textarea>
        </Field>
        {write ? <button type="submit">Save page</button> : null}
      </form>
      {write && page.edited ? (
        <form method="post" action={`/admin/pages/${page.slug}/restore`} data-confirm="Replace your text with the default text?">
          <Csrf ctx={ctx} />
          <button type="submit" class="secondary">
            Restore default
          </button>
        </form>
      ) : null}
    </AdminLayout>
  );
}

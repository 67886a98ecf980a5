import { PRODUCT_STATUSES } from "../../domain/catalog";
import { type AdminContext, AdminLayout, may } from "./layout";
import { Pager, StatusBadge, Table, when } from "./parts";

/** One row of the admin product list. */
export interface ProductRow {
  id: number;
  slug: string;
  title: string;
  status: string;
  variantCount: number;
  updatedAt: Date;
}

/** Products with search, status and category filters. */
export function ProductsListPage(props: {
  ctx: AdminContext;
  items: ProductRow[];
  total: number;
  page: number;
  limit: number;
  query: { q?: string; status?: string; categoryId?: string };
  categories: { id: number; name: string }[];
}) {
  const { ctx, query } = props;
  return (
    <AdminLayout ctx={ctx} title="Products">
      <div class="actions">
        {may(ctx, "catalog:write") ? (
          <a class="button" href="/admin/products/new">
            New product
          </a>
        ) : null}
      </div>
      <form method="get" action="/admin/products" class="row card" role="search">
        <div class="field">
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value={query.q ?? ""} />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any</option>
            {PRODUCT_STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="categoryId">Category</label>
          <select id="categoryId" name="categoryId">
            <option value="">Any</option>
            {props.categories.map((c) => (
              <option value={String(c.id)} selected={query.categoryId === String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      {props.items.length ? (
        <Table columns={["Product", "Status", { label: "Variants", num: true }, { label: "Updated", hideSm: true }]}>
          {props.items.map((p) => (
            <tr>
              <td>
                <a href={`/admin/products/${p.id}`}>{p.title}</a>
                <br />
                <small class="muted">{p.slug}</small>
              </td>
              <td>
                <StatusBadge value={p.status} />
              </td>
              <td class="num">{p.variantCount}</td>
              <td class="hide-sm">{when(p.updatedAt)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>No products match.</p>
      )}
      <Pager path="/admin/products" query={query} page={props.page} limit={props.limit} total={props.total} />
    </AdminLayout>
  );
}

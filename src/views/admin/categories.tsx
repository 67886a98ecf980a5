import type { CategoryView } from "../../domain/catalog";
import { type AdminContext, AdminLayout, Csrf, may } from "./layout";
import { Field } from "./parts";

function ParentSelect(props: { id: string; all: CategoryView[]; selected: number | null; exclude?: number }) {
  return (
    <select id={props.id} name="parentId">
      <option value="">(top level)</option>
      {props.all
        .filter((c) => c.id !== props.exclude)
        .map((c) => (
          <option value={String(c.id)} selected={props.selected === c.id}>
            {c.name}
          </option>
        ))}
    </select>
  );
}

function Node(props: { ctx: AdminContext; cat: CategoryView; all: CategoryView[] }) {
  const { ctx, cat, all } = props;
  const children = all.filter((c) => c.parentId === cat.id);
  return (
    <li>
      <details>
        <summary>
          {cat.name}{" "}
          <span class="muted">
            /{cat.slug} · {cat.productCount} products
          </span>
        </summary>
        {may(ctx, "catalog:write") ? (
          <div class="actions">
            <form method="post" action={`/admin/categories/${cat.id}`} class="inline">
              <Csrf ctx={ctx} />
              <Field label="Name" for={`name-${cat.id}`}>
                <input id={`name-${cat.id}`} name="name" value={cat.name} required maxlength={100} />
              </Field>
              <Field label="Parent" for={`parent-${cat.id}`}>
                <ParentSelect id={`parent-${cat.id}`} all={all} selected={cat.parentId} exclude={cat.id} />
              </Field>
              <button type="submit">Save</button>
            </form>
            <form method="post" action={`/admin/categories/${cat.id}/delete`} class="inline" data-confirm={`Delete ${cat.name}?`}>
              <Csrf ctx={ctx} />
              <button type="submit" class="danger">
                Delete
              </button>
            </form>
          </div>
        ) : null}
      </details>
      {children.length ? (
        <ul>
          {children.map((child) => (
            <Node ctx={ctx} cat={child} all={all} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The category tree with rename, move, delete and create. */
export function CategoriesPage(props: { ctx: AdminContext; categories: CategoryView[] }) {
  const { ctx, categories } = props;
  const roots = categories.filter((c) => c.parentId === null);
  return (
    <AdminLayout ctx={ctx} title="Categories" scripts={["admin"]}>
      {may(ctx, "catalog:write") ? (
        <form method="post" action="/admin/categories" class="card row">
          <Csrf ctx={ctx} />
          <Field label="New category" for="new-name">
            <input id="new-name" name="name" required maxlength={100} />
          </Field>
          <Field label="Under" for="new-parent">
            <ParentSelect id="new-parent" all={categories} selected={null} />
          </Field>
          <button type="submit">Create</button>
        </form>
      ) : null}
      <div class="card tree">
        {roots.length ? (
          <ul>
            {roots.map((cat) => (
              <Node ctx={ctx} cat={cat} all={categories} />
            ))}
          </ul>
        ) : (
          <p>No categories yet.</p>
        )}
      </div>
    </AdminLayout>
  );
}

import type { CategoryView } from "../../domain/catalog";
import { Layout, type Shop } from "../layout";

/** What the review page can say about the shopper and this product. */
export type ReviewStanding =
  | { kind: "form"; csrf: string; values?: { rating?: string; title?: string; body?: string }; errors?: Record<string, string> }
  | { kind: "not_a_buyer" }
  | { kind: "reviewed"; status: string; thanks: boolean };

/** Writing a review of a product (for signed-in customers who bought it). */
export function ReviewPage(props: {
  shop: Shop;
  categories: CategoryView[];
  product: { title: string; slug: string };
  standing: ReviewStanding;
}) {
  const { product, standing } = props;
  const errors = standing.kind === "form" ? (standing.errors ?? {}) : {};
  const values = standing.kind === "form" ? (standing.values ?? {}) : {};
  const err = (name: string) =>
    errors[name] ? (
      <span class="error" id={`${name}-error`}>
        {errors[name]}
      </span>
    ) : null;
  return (
    <Layout
      shop={props.shop}
      title={`Review ${product.title}`}
      description={`Write a review of ${product.title}.`}
      path={`/p/${product.slug}/review`}
      categories={props.categories}
    >
      <section class="account narrow">
        <h1>Review {product.title}</h1>
        {standing.kind === "not_a_buyer" ? (
          <p>
            Only customers who bought {product.title} can review it. <a href={`/p/${product.slug}`}>Back to the product</a>
          </p>
        ) : standing.kind === "reviewed" ? (
          <div role="status">
            <p>
              {standing.thanks ? "Thank you! " : ""}
              {standing.status === "approved"
                ? "Your review is on the product page."
                : standing.status === "rejected"
                  ? "Your review was not published."
                  : "Your review is waiting for a quick check before it is published. We will email you when it is live."}
            </p>
            <p>
              <a href={`/p/${product.slug}`}>Back to {product.title}</a>
            </p>
          </div>
        ) : (
          <form method="post" action={`/p/${product.slug}/review`} class="form-col" novalidate>
            <input type="hidden" name="_csrf" value={standing.csrf} />
            <fieldset aria-describedby={errors.rating ? "rating-error" : undefined}>
              <legend>Your rating</legend>
              {[5, 4, 3, 2, 1].map((n) => (
                <label class="facet">
                  <input type="radio" name="rating" value={String(n)} checked={values.rating === String(n)} required /> {"★".repeat(n)}
                  {"☆".repeat(5 - n)} <span class="vh">{n} out of 5</span>
                </label>
              ))}
              {err("rating")}
            </fieldset>
            <p class="field">
              <label for="title">Title</label>
              <input
                id="title"
                name="title"
                maxlength={120}
                required
                value={values.title ?? ""}
                aria-invalid={errors.title ? "true" : undefined}
                aria-describedby={errors.title ? "title-error" : undefined}
              />
              {err("title")}
            </p>
            <p class="field">
              <label for="body">Your review</label>
              <textarea
                id="body"
                name="body"
                rows={6}
                maxlength={5000}
                required
                aria-invalid={errors.body ? "true" : undefined}
                aria-describedby={errors.body ? "body-error" : undefined}
              >
                {values.body ?? ""}
              </textarea>
              {err("body")}
            </p>
            <p class="muted">Reviews are checked before they appear. We show your first name and initial.</p>
            <button type="submit">Send review</button>
          </form>
        )}
      </section>
    </Layout>
  );
}

import type { CategoryView } from "../../domain/catalog";
import { type InfoPage, infoBlocks } from "../../domain/info-pages";
import { Layout, type Shop } from "../layout";

/** An info page's body: paragraphs and lists from its plain text, every character escaped. */
export function InfoBody(props: { body: string }) {
  return (
    <>
      {infoBlocks(props.body).map((block) =>
        block.kind === "list" ? (
          <ul>
            {block.items.map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        ) : (
          <p>
            {block.lines.map((line, i) => (
              <>
                {i > 0 ? <br /> : null}
                {line}
              </>
            ))}
          </p>
        ),
      )}
    </>
  );
}

/** An info page (shipping, returns, privacy, terms, contact) in the shop's frame. */
export function InfoPageView(props: { shop: Shop; categories: CategoryView[]; page: InfoPage }) {
  const { shop, page } = props;
  const first = infoBlocks(page.body)[0];
  const summary = first?.kind === "paragraph" ? first.lines.join(" ") : page.title;
  return (
    <Layout
      shop={shop}
      title={page.title}
      description={summary.length > 160 ? `${summary.slice(0, 157)}…` : summary}
      path={`/pages/${page.slug}`}
      categories={props.categories}
    >
      <article class="info-page">
        <h1>{page.title}</h1>
        <InfoBody body={page.body} />
      </article>
    </Layout>
  );
}

import { stylesheetUrl } from "../assets";

/** A parameter or a body field as the reference lists it. */
export interface ApiField {
  name: string;
  /** Where a parameter goes (`path`, `query`, `header`); absent for body fields. */
  in?: string;
  type: string;
  required: boolean;
  description?: string;
}

/** One documented answer. */
export interface ApiAnswer {
  status: string;
  description: string;
  /** Media type and schema name, e.g. `application/json · Cart`. */
  body?: string;
}

/** One operation of an API. */
export interface ApiOperation {
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  auth?: string;
  parameters: ApiField[];
  body?: { mediaType: string; required: boolean; alternatives: ApiField[][] };
  answers: ApiAnswer[];
}

/** Operations sharing a tag. */
export interface ApiTag {
  anchor: string;
  name: string;
  description?: string;
  operations: ApiOperation[];
}

/** One API document, ready to render. */
export interface ApiReference {
  anchor: string;
  title: string;
  description?: string;
  documentUrl: string;
  access: string;
  tags: ApiTag[];
}

function Fields(props: { fields: ApiField[] }) {
  return (
    <ul>
      {props.fields.map((f) => (
        <li>
          <code>{f.name}</code> {f.in ? <span class="muted">in {f.in} · </span> : null}
          <span class="muted">{f.type}</span> {f.required ? <span class="req">required</span> : null}
          {f.description ? <span> — {f.description}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Operation(props: { op: ApiOperation }) {
  const { op } = props;
  return (
    <article class="op" aria-labelledby={op.anchor}>
      <h4 id={op.anchor}>
        <span class="method">{op.method}</span> <code class="path">{op.path}</code>
      </h4>
      <p>{op.summary}</p>
      {op.description ? <p class="muted">{op.description}</p> : null}
      {op.auth ? <p class="muted">Auth: {op.auth}</p> : null}
      {op.parameters.length ? (
        <>
          <h5>Parameters</h5>
          <Fields fields={op.parameters} />
        </>
      ) : null}
      {op.body ? (
        <>
          <h5>
            Request body <span class="muted">{op.body.mediaType}</span> {op.body.required ? null : <span class="muted">(optional)</span>}
          </h5>
          {op.body.alternatives.length > 1
            ? op.body.alternatives.map((fields, i) => (
                <>
                  <p class="muted">{i === 0 ? "One of:" : "or:"}</p>
                  <Fields fields={fields} />
                </>
              ))
            : op.body.alternatives.map((fields) => <Fields fields={fields} />)}
        </>
      ) : null}
      <h5>Responses</h5>
      <ul>
        {op.answers.map((a) => (
          <li>
            <strong>{a.status}</strong> {a.description} {a.body ? <code>{a.body}</code> : null}
          </li>
        ))}
      </ul>
    </article>
  );
}

/** The API reference page: every operation of each document, grouped by tag. */
export function ApiDocsPage(props: { shopName: string; references: ApiReference[] }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>API reference · {props.shopName}</title>
        <meta name="description" content={`OpenAPI reference of the ${props.shopName} store and admin APIs.`} />
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={stylesheetUrl("docs")} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <div class="bar">
            <a class="brand" href="/">
              {props.shopName}
            </a>
            <span>API reference</span>
          </div>
        </header>
        <main id="main" class="docs">
          <h1>API reference</h1>
          <p>
            Generated from the schemas the routes validate with. Errors are <code>application/problem+json</code> documents with a stable{" "}
            <code>code</code> and, for invalid input, one entry per field in <code>errors</code>.
          </p>
          <nav class="docs-nav" aria-label="API contents">
            <ul>
              {props.references.map((ref) => (
                <li>
                  <a href={`#${ref.anchor}`}>{ref.title}</a>
                  <ul>
                    {ref.tags.map((tag) => (
                      <li>
                        <a href={`#${tag.anchor}`}>{tag.name}</a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </nav>
          {props.references.map((ref) => (
            <section aria-labelledby={ref.anchor}>
              <h2 id={ref.anchor}>{ref.title}</h2>
              {ref.description ? <p>{ref.description}</p> : null}
              <p>
                OpenAPI 3.1 document: <a href={ref.documentUrl}>{ref.documentUrl}</a> ({ref.access})
              </p>
              {ref.tags.map((tag) => (
                <section aria-labelledby={`${ref.anchor} ${tag.anchor}`}>
                  <h3 id={tag.anchor}>{tag.name}</h3>
                  {tag.description ? <p class="muted">{tag.description}</p> : null}
                  {tag.operations.map((op) => (
                    <Operation op={op} />
                  ))}
                </section>
              ))}
            </section>
          ))}
        </main>
      </body>
    </html>
  );
}

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { AppError, problemBody } from "../errors";
import { STYLES } from "../views/styles";

const MACHINE_PREFIXES = ["/api/", "/admin/", "/webhooks/", "/media/"];

function wantsHtml(c: Context<AppEnv>): boolean {
  const path = c.req.path;
  if (MACHINE_PREFIXES.some((p) => path.startsWith(p))) return false;
  return (c.req.header("Accept") ?? "").includes("text/html");
}

function toAppError(err: unknown, c: Context<AppEnv>): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException && err.status < 500) {
    const code = err.status === 413 ? "payload_too_large" : err.status === 403 ? "forbidden" : "invalid_request";
    return new AppError(code, err.status as ContentfulStatusCode, err.message || "The request could not be processed.");
  }
  console.error(
    JSON.stringify({
      level: "error",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
    }),
  );
  return new AppError("internal", 500, "Something went wrong on our side. Quote the request id if you contact us.");
}

function ErrorPage(props: { status: number; title: string; detail: string; requestId?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <main id="main">
          <h1>{props.title}</h1>
          <p>{props.detail}</p>
          <p>
            <a href="/">Back to the shop</a>
          </p>
          {props.requestId ? <p class="muted">Request id: {props.requestId}</p> : null}
        </main>
      </body>
    </html>
  );
}

/** The one error handler: problem+json for clients, an HTML page for shoppers' browsers. */
export async function handleError(err: unknown, c: Context<AppEnv>): Promise<Response> {
  const appErr = toAppError(err, c);
  const requestId = c.get("requestId");
  if (wantsHtml(c)) {
    const title = appErr.status === 404 ? "Page not found" : appErr.status >= 500 ? "Something went wrong" : "Bad request";
    const html = `<!doctype html>${await String(
      <ErrorPage status={appErr.status} title={title} detail={appErr.detail} requestId={requestId} />,
    )}`;
    return c.html(html, appErr.status, { "Cache-Control": "no-store" });
  }
  return c.body(JSON.stringify(problemBody(appErr, c.req.path, requestId)), appErr.status, {
    "Content-Type": "application/problem+json",
    "Cache-Control": "no-store",
  });
}

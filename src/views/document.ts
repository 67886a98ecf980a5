import type { Child } from "hono/jsx";

/** Renders a JSX tree as a complete HTML document (pages, error pages and emails alike). */
export async function renderDocument(node: Child): Promise<string> {
  return `<!doctype html>${await String(node)}`;
}

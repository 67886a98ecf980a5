/** Whether an `If-None-Match` header value matches `etag` (or is `*`). */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim();
    return tag === etag || tag === "*" || tag === `W/${etag}`;
  });
}

import { vi } from "vitest";

export interface Intercepted {
  url: string;
  headers: Headers;
  body: string;
}

/**
 * Intercepts outbound requests whose URL starts with `prefix` at the fetch boundary and answers them
 * with `answer`; everything else goes out as usual. Returns the intercepted requests.
 */
export function intercept(prefix: string, answer: (request: Request) => Response | Promise<Response>): Intercepted[] {
  const real = globalThis.fetch;
  const seen: Intercepted[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    if (!request.url.startsWith(prefix)) return real(input as RequestInfo, init);
    seen.push({ url: request.url, headers: request.headers, body: await request.clone().text() });
    return answer(request);
  });
  return seen;
}

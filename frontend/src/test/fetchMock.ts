// Route fetch calls to canned JSON responses by "METHOD path" (unit tests never hit the network).
import { vi } from "vitest";

export type Route = { status?: number; body: unknown };

export function mockFetch(routes: Record<string, Route | ((req: Request) => Route)>) {
  const calls: { method: string; path: string; body: string }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const url = new URL(req.url);
    const key = `${req.method} ${url.pathname}`;
    calls.push({ method: req.method, path: url.pathname, body: req.method === "GET" ? "" : await req.clone().text() });
    const r = routes[key];
    const route = typeof r === "function" ? r(req) : r;
    if (!route) return new Response(JSON.stringify({ title: "Not Found", detail: `no route ${key}` }), { status: 404, headers: { "Content-Type": "application/problem+json" } });
    return new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}

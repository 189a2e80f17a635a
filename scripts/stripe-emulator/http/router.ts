// A small method + path router: `/v1/customers/:id` style patterns compiled to regexes.

import type { Emulator } from "../emulator.js";
import type { Params } from "./params.js";

export type Method = "GET" | "POST" | "DELETE";

export interface ApiRequest {
  method: Method;
  /** Path without the query string, e.g. `/v1/customers` (the list envelope's `url`). */
  path: string;
  pathParams: Record<string, string>;
  /** Query string for GET/DELETE, form body for POST. */
  params: Params;
}

/** Returns a Stripe-shaped JSON object; throws StripeApiError for failures. Must be synchronous:
 *  a handler runs start to finish without interleaving, which is what makes the emulator's
 *  state changes atomic. */
export type ApiHandler = (emu: Emulator, req: ApiRequest) => object;

export interface Route {
  method: Method;
  path: string;
  handler: ApiHandler;
}

interface Compiled<T> {
  method: string;
  regex: RegExp;
  names: string[];
  value: T;
}

export class Router<T> {
  private readonly routes: Compiled<T>[] = [];

  add(method: string, path: string, value: T): void {
    const names: string[] = [];
    const pattern = path.replace(/:([a-z_]+)/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    this.routes.push({ method, regex: new RegExp(`^${pattern}/?$`), names, value });
  }

  match(method: string, path: string): { value: T; pathParams: Record<string, string> } | null {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      r.names.forEach((n, i) => {
        pathParams[n] = safeDecode(m[i + 1]!);
      });
      return { value: r.value, pathParams };
    }
    return null;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

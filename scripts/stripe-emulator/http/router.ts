// A small method + path router: `/v1/customers/:id` style patterns compiled to regexes; and
// Stripe's refusal of parameters a route does not accept, checked before its handler runs.

import type { Emulator } from "../emulator.js";
import {
  ACCEPTED_PARAMS,
  EXPANDABLE_OBJECTS,
  EXPANDABLE_ROOTS,
  MAP,
  V,
  type Accepts,
  type Expandable,
} from "./accepted-params.js";
import { apiError, invalidRequest, unknownParameters } from "./errors.js";
import type { FormObject, FormValue } from "./form.js";
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

// Accepted parameters ------------------------------------------------------------------------

/** `POST /v1/transfers/:id/reversals/:reversal` -> `POST /v1/transfers/:/reversals/:` (names of path parameters do not matter). */
function routeShape(method: string, path: string): string {
  return `${method} ${path.replace(/\/:[a-z_]+/g, "/:")}`;
}

const DECLARED = new Map(
  Object.entries(ACCEPTED_PARAMS).map(([route, accepts]) => {
    const [method, path] = route.split(" ") as [string, string];
    return [routeShape(method, path), accepts] as const;
  }),
);

/** What `METHOD path` (a route pattern) accepts, per http/accepted-params.ts; undefined if it declares nothing. */
export function acceptedParamsOf(method: string, path: string): Accepts | undefined {
  return DECLARED.get(routeShape(method, path));
}

/**
 * The full bracketed names (`line_items[0][price_data][foo]`) of the parameters in `form` that
 * the route does not accept, in the order they were sent. `expand` is always accepted (its paths
 * are checked by expand.ts); `metadata`-like maps take any key. Values are not judged here: the
 * handlers' typed readers do that.
 */
export function unknownParams(accepts: Accepts, form: FormObject): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(form)) {
    if (key === "expand") continue;
    walk(value, isFields(accepts) ? childOf(accepts, key) : undefined, key, out);
  }
  return out;
}

type Fields = { readonly [key: string]: Accepts };

function isFields(accepts: Accepts): accepts is Fields {
  return typeof accepts === "object" && !Array.isArray(accepts);
}

function childOf(accepts: Fields, key: string): Accepts | undefined {
  return Object.hasOwn(accepts, key) ? accepts[key] : undefined;
}

function walk(value: FormValue, accepts: Accepts | undefined, name: string, out: string[]): void {
  if (accepts === undefined) {
    out.push(name);
    return;
  }
  // A plain value (or "" to unset), `k[]=a&k[]=b` strings, free-form keys: nothing to refuse.
  // An object where a value belongs (`email[x]=1`) is a wrong type, not an unknown parameter:
  // the handler's typed reader answers it ("Invalid string", param `email`), as Stripe does.
  if (typeof value === "string" || Array.isArray(value) || accepts === MAP || accepts === V) return;
  if (!isFields(accepts)) {
    // A list sent as `k[0][..]=..`: indexes, each element checked against the element's fields.
    const element = accepts[0];
    for (const [key, item] of Object.entries(value))
      walk(item, /^\d+$/.test(key) ? element : undefined, `${name}[${key}]`, out);
    return;
  }
  for (const [key, item] of Object.entries(value)) walk(item, childOf(accepts, key), `${name}[${key}]`, out);
}

const EXPAND_ROOTS = new Map(
  Object.entries(EXPANDABLE_ROOTS).map(([route, root]) => {
    const [method, path] = route.split(" ") as [string, string];
    return [routeShape(method, path), root] as const;
  }),
);

const MAX_EXPAND_DEPTH = 4;

/**
 * Refuses an `expand[]` path the route's answer cannot expand, per the SDK's object types, with
 * the error expand.ts gives: checked before the handler, so a create with a bad path creates
 * nothing. (expand.ts still checks each path against the actual answer afterwards.)
 */
export function refuseUnexpandable(method: string, path: string, expand: string[]): void {
  const root = EXPAND_ROOTS.get(routeShape(method, path));
  if (root === undefined) return;
  for (const full of expand) {
    const parts = full.split(".");
    if (parts.length > MAX_EXPAND_DEPTH || parts.some((p) => p === "")) {
      throw invalidRequest(`You cannot expand more than ${MAX_EXPAND_DEPTH} levels of a property. Property: ${full}`, {
        param: "expand",
      });
    }
    if (!expandable(root, parts, 0)) {
      throw invalidRequest(`This property cannot be expanded (${full}).`, { param: "expand" });
    }
  }
}

function expandable(node: Expandable | undefined, parts: string[], i: number): boolean {
  if (node === undefined) return false;
  if (typeof node === "string") {
    // An id field: the path may end here, or go on into the object it names.
    if (i === parts.length) return true;
    return node.split("|").some((name) => expandable(EXPANDABLE_OBJECTS[name] ?? {}, parts, i));
  }
  if (i === parts.length) return false; // an embedded object is not itself expandable
  if ("$" in node && typeof node.$ === "string") return expandable(EXPANDABLE_OBJECTS[node.$] ?? {}, parts, i);
  const tree = node as { readonly [field: string]: Expandable };
  return expandable(Object.hasOwn(tree, parts[i]!) ? tree[parts[i]!] : undefined, parts, i + 1);
}

/**
 * The route's handler behind Stripe's parameter checks: a request carrying a parameter the
 * route does not accept gets 400 `parameter_unknown`, and an `expand[]` path its answer cannot
 * expand a 400 on `expand`, before the handler runs (so the request has no effect, and the
 * idempotency key stays free, as for any validation error). A route with no declaration
 * answers 500: every served route must be declared (tests/stripe/accepted-params.test.ts).
 */
export function acceptingDeclaredParams(route: Route): ApiHandler {
  const accepts = acceptedParamsOf(route.method, route.path);
  return (emu, req) => {
    if (!accepts) {
      throw apiError(
        `The Stripe emulator declares no accepted parameters for ${route.method} ${route.path} (scripts/stripe-emulator/http/accepted-params.ts).`,
      );
    }
    const unknown = unknownParams(accepts, req.params.data);
    if (unknown.length > 0) throw unknownParameters(unknown);
    refuseUnexpandable(route.method, route.path, req.params.expand());
    return route.handler(emu, req);
  };
}

// Events: list (filter by `type`, with `*` wildcards like `charge.*`, or `types[]`) and retrieve,
// rendered at the request's `Stripe-Version` (the account's default without one): api-version.ts.

import { renderEvent } from "../api-version.js";
import type { Route } from "../http/router.js";
import { paginate } from "../list.js";

function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes("*")) return (t) => t === pattern;
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^]*")}$`,
  );
  return (t) => re.test(t);
}

export const eventRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/events/:id",
    handler: (emu, req) => renderEvent(emu.store.events.require(req.pathParams.id!, "id"), emu.requestApiVersion),
  },
  {
    method: "GET",
    path: "/v1/events",
    handler: (emu, req) => {
      const type = req.params.string("type");
      const types = req.params.stringList("types");
      const matchers = (types ?? (type ? [type] : [])).map(typeMatcher);
      const list = paginate(
        emu.store.events,
        req.params,
        req.path,
        (e) => matchers.length === 0 || matchers.some((m) => m(e.type)),
      );
      return { ...list, data: list.data.map((e) => renderEvent(e, emu.requestApiVersion)) };
    },
  },
];

// `expand[]`: replaces id strings with the objects they name, along dotted paths
// (`latest_charge.balance_transaction`, `data.payment_method` on lists). Works on copies,
// so stored objects keep their ids. Like Stripe, at most four levels deep.

import { invalidRequest } from "./http/errors.js";
import type { Store } from "./store.js";

const MAX_DEPTH = 4;

/** Fields that always come expanded regardless of `expand[]` (Stripe's own defaults). */
const ALWAYS_EXPANDED: Record<string, string[]> = {
  dispute: ["balance_transactions"],
};

function expandValue(store: Store, value: unknown, path: string[], full: string): unknown {
  if (path.length === 0) return value;
  if (Array.isArray(value)) return value.map((v) => expandValue(store, v, path, full));
  if (value === null || typeof value !== "object") return value;
  const obj = { ...(value as Record<string, unknown>) };
  const [field, ...rest] = path as [string, ...string[]];
  if (!(field in obj)) {
    throw invalidRequest(`This property cannot be expanded (${full}).`, { param: "expand" });
  }
  let target = obj[field];
  if (typeof target === "string") {
    const found = store.byId(target);
    if (!found) throw invalidRequest(`This property cannot be expanded (${full}).`, { param: "expand" });
    target = found;
  } else if (Array.isArray(target)) {
    target = target.map((t) => (typeof t === "string" ? (store.byId(t) ?? t) : t));
  }
  obj[field] = rest.length > 0 ? expandValue(store, target, rest, full) : target;
  return obj;
}

export function applyExpand(store: Store, value: unknown, expand: string[]): unknown {
  let out = value;
  const type = value && typeof value === "object" ? (value as { object?: string }).object : undefined;
  if (type === "list") {
    const items = (value as { data: unknown[] }).data;
    if (items.some((i) => ALWAYS_EXPANDED[(i as { object?: string }).object ?? ""])) {
      out = { ...(value as object), data: items.map((i) => applyExpand(store, i, [])) };
    }
  } else if (type && ALWAYS_EXPANDED[type]) {
    for (const field of ALWAYS_EXPANDED[type]!) out = expandValue(store, out, [field], field);
  }
  for (const path of expand) {
    const parts = path.split(".");
    if (parts.length > MAX_DEPTH || parts.some((p) => p === "")) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, {
        param: "expand",
      });
    }
    out = expandValue(store, out, parts, path);
  }
  return out;
}

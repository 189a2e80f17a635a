// Parser for Stripe's form encoding: `metadata[pledge_id]=7`, `expand[]=latest_charge`,
// `line_items[0][price_data][unit_amount]=500`. Produces plain nested objects/arrays of strings.
// Malformed input raises a 400 instead of throwing something the server would turn into a 500.
// Indexed keys (`items[0]`) stay objects here: `Params.list` turns them into arrays, so a
// metadata key that happens to be numeric (`metadata[2024]`) is not mistaken for a list.

import { invalidRequest } from "./errors.js";

export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, " "));
  } catch {
    throw invalidRequest("Invalid request body: malformed percent-encoding.");
  }
}

/** `a[b][]` -> ["a", "b", ""]. */
function splitKey(raw: string): string[] {
  const open = raw.indexOf("[");
  if (open === -1) return [raw];
  const parts = [raw.slice(0, open)];
  let rest = raw.slice(open);
  while (rest.length > 0) {
    const m = /^\[([^[\]]*)\]/.exec(rest);
    if (!m) throw invalidRequest(`Invalid parameter name: ${raw}`);
    parts.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  if (parts[0] === "") throw invalidRequest(`Invalid parameter name: ${raw}`);
  return parts;
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  if (body.length === 0) return root;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decode(pair.slice(eq + 1));
    const path = splitKey(rawKey);
    let node: FormObject = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      if (FORBIDDEN_KEYS.has(key)) throw invalidRequest(`Invalid parameter name: ${rawKey}`);
      const last = i === path.length - 1;
      const nextIsPush = path[i + 1] === "";
      if (key === "") {
        // `x[]=v`: only valid as the last segment; the parent was prepared as an array holder.
        if (!last) throw invalidRequest(`Invalid parameter name: ${rawKey}`);
        continue;
      }
      const existing = node[key];
      if (last || (nextIsPush && i + 1 === path.length - 1)) {
        if (nextIsPush) {
          if (existing === undefined) node[key] = [value];
          else if (Array.isArray(existing)) existing.push(value);
          else throw invalidRequest(`Conflicting values for parameter ${path[0]}.`);
          break;
        }
        if (existing !== undefined && typeof existing !== "string") {
          throw invalidRequest(`Conflicting values for parameter ${path[0]}.`);
        }
        node[key] = value;
        break;
      }
      if (existing === undefined) {
        const child: FormObject = {};
        node[key] = child;
        node = child;
      } else if (typeof existing === "object" && !Array.isArray(existing)) {
        node = existing;
      } else {
        throw invalidRequest(`Conflicting values for parameter ${path[0]}.`);
      }
    }
  }
  return root;
}

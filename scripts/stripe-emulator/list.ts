// Stripe's cursor pagination: newest first, `limit` (1..100, default 10), `starting_after`
// (older than the cursor), `ending_before` (newer than the cursor), `has_more`, `created`
// range filters, and the `{object: "list", data, has_more, url}` envelope.

import { invalidRequest } from "./http/errors.js";
import type { Params } from "./http/params.js";
import type { Collection } from "./store.js";
import type { StoredObject } from "./types.js";

export interface ListEnvelope<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

function createdFilter(params: Params): ((created: number) => boolean) | null {
  if (!params.has("created")) return null;
  const exact = params.data.created;
  if (typeof exact === "string") {
    const n = params.requireInt("created");
    return (c) => c === n;
  }
  const range = params.object("created");
  if (!range) return null;
  const gt = range.int("gt");
  const gte = range.int("gte");
  const lt = range.int("lt");
  const lte = range.int("lte");
  return (c) =>
    (gt === undefined || c > gt) &&
    (gte === undefined || c >= gte) &&
    (lt === undefined || c < lt) &&
    (lte === undefined || c <= lte);
}

export function paginate<T extends StoredObject>(
  collection: Collection<T>,
  params: Params,
  url: string,
  filter: (row: T) => boolean = () => true,
): ListEnvelope<T> {
  const limit = params.int("limit", { min: 1, max: 100 }) ?? 10;
  const startingAfter = params.string("starting_after") || undefined;
  const endingBefore = params.string("ending_before") || undefined;
  if (startingAfter && endingBefore) {
    throw invalidRequest("You may only specify one of these parameters: starting_after, ending_before.", {
      param: "ending_before",
    });
  }
  const byCreated = createdFilter(params);
  const matches = (row: T) => filter(row) && (byCreated === null || byCreated(row.created ?? 0));

  const rows = collection.all(); // oldest first
  const cursorId = startingAfter ?? endingBefore;
  let cursor = rows.length; // "newer than everything"
  if (cursorId) {
    cursor = rows.findIndex((r) => r.id === cursorId);
    if (cursor === -1) {
      throw invalidRequest(`No such ${collection.label}: '${cursorId}'`, {
        param: startingAfter ? "starting_after" : "ending_before",
        code: "resource_missing",
      });
    }
  }

  const data: T[] = [];
  let hasMore = false;
  if (endingBefore) {
    // Walk towards newer objects, take the `limit` closest to the cursor, return newest first.
    for (let i = cursor + 1; i < rows.length; i++) {
      if (!matches(rows[i]!)) continue;
      if (data.length === limit) {
        hasMore = true;
        break;
      }
      data.push(rows[i]!);
    }
    data.reverse();
  } else {
    for (let i = cursor - 1; i >= 0; i--) {
      if (!matches(rows[i]!)) continue;
      if (data.length === limit) {
        hasMore = true;
        break;
      }
      data.push(rows[i]!);
    }
  }
  return { object: "list", data, has_more: hasMore, url };
}

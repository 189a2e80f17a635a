// API versions. The emulator speaks one version's shapes: the one the SDK (23.1.0) is pinned to,
// which is also the emulated account's default. Every event is stored once and rendered for its
// reader by `renderEvent`, the one hook where a version-specific shape would go:
//  - a webhook endpoint created with `api_version` gets events rendered at that version, an
//    endpoint without one at the account's default;
//  - `GET /v1/events` and `/v1/events/:id` render at the request's `Stripe-Version` header, or the
//    default without one.
// Only `api_version` differs today (the emulator has no second version's shapes to render).

import type { StripeEvent } from "./types.js";

/** The API version stamped on events; the SDK 23.1.0 default. */
export const API_VERSION = "2026-10-28.endive";

/** Stripe's version names: a release date, and since 2024 the major version's name. */
export const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

/** The event as a reader pinned to `version` (null: the account's default) sees it. */
export function renderEvent(event: StripeEvent, version: string | null | undefined): StripeEvent {
  const apiVersion = version || API_VERSION;
  if (event.api_version === apiVersion) return event;
  return { ...event, api_version: apiVersion };
}

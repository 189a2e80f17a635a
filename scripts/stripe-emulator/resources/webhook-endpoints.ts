// Webhook endpoints: create (the `whsec_` secret is returned on create only, as on Stripe),
// retrieve, update, delete, list. Delivery itself lives in webhooks.ts.
// `api_version` (create only, as on Stripe) pins the version the endpoint's events are rendered
// at; without it they follow the account's default (api-version.ts).

import { API_VERSION_PATTERN } from "../api-version.js";
import type { Emulator } from "../emulator.js";
import { parameterInvalid, parameterMissing } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId, randomToken } from "../ids.js";
import { paginate } from "../list.js";
import type { WebhookEndpoint } from "../types.js";

function validUrl(url: string, param = "url"): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url))
    throw parameterInvalid(param, "Invalid URL: URL must be publicly accessible and use http(s).", "url_invalid");
  return url;
}

function enabledEvents(params: Params, required: boolean): string[] | undefined {
  const list = params.stringList("enabled_events");
  if (list === undefined || list.length === 0) {
    if (required) throw parameterMissing("enabled_events");
    return undefined;
  }
  return list;
}

function apiVersionParam(params: Params): string | null {
  const version = params.string("api_version");
  if (version === undefined || version === "") return null;
  if (!API_VERSION_PATTERN.test(version)) throw parameterInvalid("api_version", `Invalid API version: ${version}`);
  return version;
}

export function registerEndpoint(
  emu: Emulator,
  input: {
    url: string;
    enabledEvents: string[];
    description?: string | null;
    metadata?: Record<string, string>;
    secret?: string;
    apiVersion?: string | null;
  },
): WebhookEndpoint & { secret: string } {
  const endpoint: WebhookEndpoint = {
    id: newId("we"),
    object: "webhook_endpoint",
    api_version: input.apiVersion ?? null,
    application: null,
    created: emu.unix(),
    description: input.description ?? null,
    enabled_events: input.enabledEvents,
    livemode: false,
    metadata: input.metadata ?? {},
    status: "enabled",
    url: input.url,
  };
  const secret = input.secret ?? `whsec_${randomToken(32)}`;
  emu.store.webhookEndpoints.insert(endpoint);
  emu.store.internal.webhookSecrets[endpoint.id] = secret;
  return { ...endpoint, secret };
}

export const webhookEndpointRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/webhook_endpoints",
    handler: (emu, req) =>
      registerEndpoint(emu, {
        url: validUrl(req.params.requireString("url")),
        enabledEvents: enabledEvents(req.params, true)!,
        description: req.params.string("description") || null,
        metadata: applyMetadata({}, req.params.metadata()),
        apiVersion: apiVersionParam(req.params),
      }),
  },
  {
    method: "GET",
    path: "/v1/webhook_endpoints/:id",
    handler: (emu, req) => emu.store.webhookEndpoints.require(req.pathParams.id!, "webhook_endpoint"),
  },
  {
    method: "POST",
    path: "/v1/webhook_endpoints/:id",
    handler: (emu, req) => {
      const endpoint = emu.store.webhookEndpoints.require(req.pathParams.id!, "webhook_endpoint");
      const url = req.params.string("url");
      if (url) endpoint.url = validUrl(url);
      const events = enabledEvents(req.params, false);
      if (events) endpoint.enabled_events = events;
      const disabled = req.params.bool("disabled");
      if (disabled !== undefined) endpoint.status = disabled ? "disabled" : "enabled";
      const description = req.params.nullableString("description");
      if (description !== undefined) endpoint.description = description;
      endpoint.metadata = applyMetadata(endpoint.metadata, req.params.metadata());
      return endpoint;
    },
  },
  {
    method: "DELETE",
    path: "/v1/webhook_endpoints/:id",
    handler: (emu, req) => {
      const endpoint = emu.store.webhookEndpoints.require(req.pathParams.id!, "webhook_endpoint");
      emu.store.webhookEndpoints.delete(endpoint.id);
      delete emu.store.internal.webhookSecrets[endpoint.id];
      emu.webhooks.forgetEndpoint(endpoint.id);
      return { id: endpoint.id, object: "webhook_endpoint", deleted: true };
    },
  },
  {
    method: "GET",
    path: "/v1/webhook_endpoints",
    handler: (emu, req) => paginate(emu.store.webhookEndpoints, req.params, req.path),
  },
];

// Stripe's error envelope. Every failure leaves the emulator as one of these, so the SDK
// raises the same error class (StripeCardError, StripeInvalidRequestError, ...) as it would
// against api.stripe.com.

export type StripeErrorType = "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  /** Card errors raised while confirming an intent carry the intent's snapshot. */
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  /**
   * Whether the idempotency layer stores this result. Stripe saves a result once the endpoint
   * "began executing" (card declines included) but not when the request failed validation,
   * so a corrected retry with the same key is not poisoned by an earlier 400.
   */
  readonly idempotentResult: boolean;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    body: StripeErrorBody,
    opts: { idempotentResult?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(body.message);
    this.status = status;
    this.body = body.code && !body.doc_url ? { ...body, doc_url: docUrl(body.code) } : body;
    this.idempotentResult = opts.idempotentResult ?? status === 402;
    this.headers = opts.headers ?? {};
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;
}

export function invalidRequest(message: string, extra: { param?: string; code?: string } = {}): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", message, ...extra });
}

/** An error about the state of an object (e.g. refunding a refunded charge): the endpoint ran. */
export function stateError(message: string, extra: { param?: string; code?: string } = {}): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", message, ...extra }, { idempotentResult: true });
}

export function parameterMissing(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { param, code: "parameter_missing" });
}

export function parameterInvalid(param: string, message: string, code = "parameter_invalid"): StripeApiError {
  return invalidRequest(message, { param, code });
}

/** Stripe's refusal of parameters an endpoint does not take; `param` is the first of them. */
export function unknownParameters(params: string[]): StripeApiError {
  const message =
    params.length === 1
      ? `Received unknown parameter: ${params[0]}`
      : `Received unknown parameters: ${params.join(", ")}`;
  return invalidRequest(message, { param: params[0], code: "parameter_unknown" });
}

export function resourceMissing(label: string, id: string, param?: string): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${label}: '${id}'`,
    ...(param ? { param } : {}),
  });
}

export function unrecognizedRoute(method: string, path: string): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: "invalid_request_error", message });
}

export function rateLimitError(): StripeApiError {
  return new StripeApiError(429, {
    type: "invalid_request_error",
    code: "rate_limit",
    message:
      "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.",
  });
}

export function apiError(message: string): StripeApiError {
  return new StripeApiError(500, { type: "api_error", message });
}

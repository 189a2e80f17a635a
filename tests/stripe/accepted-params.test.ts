// The emulator's declaration of what each route accepts (http/accepted-params.ts): complete for
// every route it serves, generated from the pinned SDK's request types and up to date, and read
// the way Stripe reads bracketed parameters.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseForm } from "../../scripts/stripe-emulator/http/form";
import { acceptedParamsOf, refuseUnexpandable, unknownParams } from "../../scripts/stripe-emulator/http/router";
import { apiRoutes } from "../../scripts/stripe-emulator/resources/index";
import { generate, ROUTE_TYPES } from "../../scripts/stripe-emulator/tools/generate-accepted-params";

const unknownIn = (route: string, body: string) => {
  const [method, path] = route.split(" ") as [string, string];
  const accepts = acceptedParamsOf(method, path);
  if (!accepts) throw new Error(`no declaration for ${route}`);
  return unknownParams(accepts, parseForm(body));
};

describe("accepted parameters", () => {
  it("declares every route the emulator serves", () => {
    const undeclared = apiRoutes.filter((r) => !acceptedParamsOf(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it("is what the generator writes from the installed SDK's types (rerun it after an SDK upgrade)", async () => {
    const committed = readFileSync(
      fileURLToPath(new URL("../../scripts/stripe-emulator/http/accepted-params.ts", import.meta.url)),
      "utf8",
    );
    expect(await generate()).toBe(committed);
  }, 60_000);

  it("covers the routes being added for issue 17", () => {
    for (const route of [
      "GET /v1/balance",
      "POST /v1/transfers/:id/reversals",
      "GET /v1/transfers/:id/reversals",
      "GET /v1/transfers/:id/reversals/:reversal",
      "POST /v1/disputes/:id",
    ]) {
      expect(ROUTE_TYPES[route], route).toBeDefined();
      expect(unknownIn(route, ""), route).toEqual([]);
    }
  });

  it("accepts what Stripe accepts, whether or not the emulator acts on it", () => {
    expect(
      unknownIn(
        "POST /v1/checkout/sessions",
        "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=usd" +
          "&line_items[0][price_data][product_data][name]=Kiln&line_items[0][price_data][product_data][images][0]=x" +
          "&payment_intent_data[metadata][any_key]=1&payment_intent_data[setup_future_usage]=off_session" +
          "&allowed_payment_method_types[0]=card&custom_text[submit][message]=Hi&metadata[x]=&expand[]=customer",
      ),
    ).toEqual([]);
    expect(
      unknownIn(
        "POST /v1/disputes/:id",
        "evidence[uncategorized_text]=x&evidence[shipping_tracking_number]=1Z&evidence[enhanced_evidence][visa_compliance][fee_acknowledged]=true&submit=true&metadata[a]=1",
      ),
    ).toEqual([]);
    expect(
      unknownIn(
        "GET /v1/payment_intents",
        "limit=3&starting_after=pi_1&created[gte]=1&created[lt]=2&customer=cus_1&expand[0]=data.latest_charge",
      ),
    ).toEqual([]);
    expect(unknownIn("GET /v1/charges", "created=1700000000&ending_before=ch_1")).toEqual([]);
    expect(unknownIn("POST /v1/customers", "email=")).toEqual([]);
  });

  it("names each unknown parameter in full, in the order sent", () => {
    expect(
      unknownIn(
        "POST /v1/checkout/sessions",
        "line_items[0][price_data][product_data][nam]=x&payment_intent_data[foo]=1&payment_method_types[0]=card&created[gt]=1",
      ),
    ).toEqual([
      "line_items[0][price_data][product_data][nam]",
      "payment_intent_data[foo]",
      "payment_method_types",
      "created",
    ]);
    expect(unknownIn("GET /v1/refunds", "limit=1&created[gtt]=1")).toEqual(["created[gtt]"]);
    // Names inherited by every object are not parameters.
    expect(unknownParams(acceptedParamsOf("GET", "/v1/refunds")!, { toString: "1", limit: "1" })).toEqual(["toString"]);
    expect(unknownIn("POST /v1/transfers/:id/reversals", "amount=1&refund_application_fee=true&reason=x")).toEqual([
      "reason",
    ]);
    // A list takes indexes only.
    expect(unknownIn("POST /v1/checkout/sessions", "line_items[first][quantity]=1")).toEqual(["line_items[first]"]);
  });

  it("checks expand[] paths against the answer's expandable fields", () => {
    const ok = (route: string, paths: string[]) => {
      const [method, path] = route.split(" ") as [string, string];
      refuseUnexpandable(method, path, paths);
    };
    expect(() => ok("POST /v1/payment_intents", ["latest_charge.balance_transaction", "customer"])).not.toThrow();
    expect(() => ok("GET /v1/payment_intents", ["data.latest_charge.balance_transaction"])).not.toThrow();
    expect(() =>
      ok("GET /v1/checkout/sessions/:id", ["setup_intent.payment_method", "payment_intent.latest_charge"]),
    ).not.toThrow();
    expect(() => ok("GET /v1/charges/:id", ["transfer", "balance_transaction"])).not.toThrow();
    expect(() => ok("POST /v1/payment_intents", ["latest_chrage"])).toThrow(/cannot be expanded \(latest_chrage\)/);
    // A field that holds no id, and a path ending on an embedded object.
    expect(() => ok("POST /v1/payment_intents", ["amount"])).toThrow(/cannot be expanded/);
    expect(() => ok("GET /v1/payment_intents", ["data"])).toThrow(/cannot be expanded/);
    expect(() => ok("GET /v1/payment_intents", ["a.b.c.d.e"])).toThrow(/more than 4 levels/);
  });
});

// Writes http/accepted-params.ts: the parameters each emulated route accepts, read from the
// pinned `stripe` SDK's own request types (`Stripe.Checkout.SessionCreateParams`, ...) with the
// TypeScript compiler, so the emulator accepts exactly what Stripe accepts at that version.
//
//   npx tsx scripts/stripe-emulator/tools/generate-accepted-params.ts          # rewrite the file
//   npx tsx scripts/stripe-emulator/tools/generate-accepted-params.ts --check  # exit 1 if stale
//
// A development tool: the emulator itself never imports it (nor `typescript`).
// tests/stripe/accepted-params.test.ts fails when the committed file is not what this writes.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import ts from "typescript";

/**
 * Every route the emulator serves (and those being added), with the SDK types of its parameters
 * and of its answer (`list:X` is `ApiList<X>`), whose expandable fields decide `expand[]`.
 */
export const ROUTE_TYPES: Record<string, [params: string, response: string]> = {
  "POST /v1/customers": ["CustomerCreateParams", "Customer"],
  "GET /v1/customers/:id": ["CustomerRetrieveParams", "Customer"],
  "POST /v1/customers/:id": ["CustomerUpdateParams", "Customer"],
  "GET /v1/customers": ["CustomerListParams", "list:Customer"],
  "GET /v1/customers/:id/payment_methods": ["CustomerListPaymentMethodsParams", "list:PaymentMethod"],

  "POST /v1/payment_methods": ["PaymentMethodCreateParams", "PaymentMethod"],
  "GET /v1/payment_methods/:id": ["PaymentMethodRetrieveParams", "PaymentMethod"],
  "POST /v1/payment_methods/:id": ["PaymentMethodUpdateParams", "PaymentMethod"],
  "POST /v1/payment_methods/:id/attach": ["PaymentMethodAttachParams", "PaymentMethod"],
  "POST /v1/payment_methods/:id/detach": ["PaymentMethodDetachParams", "PaymentMethod"],
  "GET /v1/payment_methods": ["PaymentMethodListParams", "list:PaymentMethod"],

  "POST /v1/setup_intents": ["SetupIntentCreateParams", "SetupIntent"],
  "GET /v1/setup_intents/:id": ["SetupIntentRetrieveParams", "SetupIntent"],
  "POST /v1/setup_intents/:id": ["SetupIntentUpdateParams", "SetupIntent"],
  "POST /v1/setup_intents/:id/confirm": ["SetupIntentConfirmParams", "SetupIntent"],
  "POST /v1/setup_intents/:id/cancel": ["SetupIntentCancelParams", "SetupIntent"],
  "GET /v1/setup_intents": ["SetupIntentListParams", "list:SetupIntent"],

  "POST /v1/payment_intents": ["PaymentIntentCreateParams", "PaymentIntent"],
  "GET /v1/payment_intents/:id": ["PaymentIntentRetrieveParams", "PaymentIntent"],
  "POST /v1/payment_intents/:id": ["PaymentIntentUpdateParams", "PaymentIntent"],
  "POST /v1/payment_intents/:id/confirm": ["PaymentIntentConfirmParams", "PaymentIntent"],
  "POST /v1/payment_intents/:id/cancel": ["PaymentIntentCancelParams", "PaymentIntent"],
  "GET /v1/payment_intents": ["PaymentIntentListParams", "list:PaymentIntent"],

  "GET /v1/charges/:id": ["ChargeRetrieveParams", "Charge"],
  "GET /v1/charges": ["ChargeListParams", "list:Charge"],

  "GET /v1/balance": ["BalanceRetrieveParams", "Balance"],
  "GET /v1/balance_transactions/:id": ["BalanceTransactionRetrieveParams", "BalanceTransaction"],
  "GET /v1/balance_transactions": ["BalanceTransactionListParams", "list:BalanceTransaction"],

  "POST /v1/refunds": ["RefundCreateParams", "Refund"],
  "GET /v1/refunds/:id": ["RefundRetrieveParams", "Refund"],
  "POST /v1/refunds/:id": ["RefundUpdateParams", "Refund"],
  "GET /v1/refunds": ["RefundListParams", "list:Refund"],

  "GET /v1/disputes/:id": ["DisputeRetrieveParams", "Dispute"],
  "POST /v1/disputes/:id": ["DisputeUpdateParams", "Dispute"],
  "POST /v1/disputes/:id/close": ["DisputeCloseParams", "Dispute"],
  "GET /v1/disputes": ["DisputeListParams", "list:Dispute"],

  "POST /v1/checkout/sessions": ["Checkout.SessionCreateParams", "Checkout.Session"],
  "GET /v1/checkout/sessions/:id": ["Checkout.SessionRetrieveParams", "Checkout.Session"],
  "POST /v1/checkout/sessions/:id": ["Checkout.SessionUpdateParams", "Checkout.Session"],
  "POST /v1/checkout/sessions/:id/expire": ["Checkout.SessionExpireParams", "Checkout.Session"],
  "GET /v1/checkout/sessions/:id/line_items": ["Checkout.SessionListLineItemsParams", "list:LineItem"],
  "GET /v1/checkout/sessions": ["Checkout.SessionListParams", "list:Checkout.Session"],

  "POST /v1/accounts": ["AccountCreateParams", "Account"],
  "GET /v1/accounts/:id": ["AccountRetrieveParams", "Account"],
  "POST /v1/accounts/:id": ["AccountUpdateParams", "Account"],
  "GET /v1/accounts": ["AccountListParams", "list:Account"],
  "POST /v1/account_links": ["AccountLinkCreateParams", "AccountLink"],

  "POST /v1/transfers": ["TransferCreateParams", "Transfer"],
  "GET /v1/transfers/:id": ["TransferRetrieveParams", "Transfer"],
  "POST /v1/transfers/:id": ["TransferUpdateParams", "Transfer"],
  "GET /v1/transfers": ["TransferListParams", "list:Transfer"],
  "POST /v1/transfers/:id/reversals": ["TransferCreateReversalParams", "TransferReversal"],
  "GET /v1/transfers/:id/reversals": ["TransferListReversalsParams", "list:TransferReversal"],
  "GET /v1/transfers/:id/reversals/:reversal": ["TransferRetrieveReversalParams", "TransferReversal"],
  "POST /v1/transfers/:id/reversals/:reversal": ["TransferUpdateReversalParams", "TransferReversal"],

  // Events: \`Event\` is a union of every event type; their \`expand[]\` is checked only on the answer.
  "GET /v1/events/:id": ["EventRetrieveParams", ""],
  "GET /v1/events": ["EventListParams", ""],

  "POST /v1/webhook_endpoints": ["WebhookEndpointCreateParams", "WebhookEndpoint"],
  "GET /v1/webhook_endpoints/:id": ["WebhookEndpointRetrieveParams", "WebhookEndpoint"],
  "POST /v1/webhook_endpoints/:id": ["WebhookEndpointUpdateParams", "WebhookEndpoint"],
  "DELETE /v1/webhook_endpoints/:id": ["WebhookEndpointDeleteParams", "DeletedWebhookEndpoint"],
  "GET /v1/webhook_endpoints": ["WebhookEndpointListParams", "list:WebhookEndpoint"],
};

/** `true` a value (string, number, boolean, enum); `"map"` free-form keys (metadata); an object's fields; `[element]` a list. */
type Shape = true | "map" | { [key: string]: Shape } | [Shape];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const OUT = resolve(root, "scripts/stripe-emulator/http/accepted-params.ts");
const VIRTUAL = resolve(root, "__accepted_params_probe__.ts");

function program(): { checker: ts.TypeChecker; probe: ts.SourceFile } {
  const aliases = Object.values(ROUTE_TYPES)
    .map(([params, response], i) => {
      const answer = !response
        ? "never"
        : response.startsWith("list:")
          ? `Stripe.ApiList<Stripe.${response.slice(5)}>`
          : `Stripe.${response}`;
      return `export type P${i} = Stripe.${params};\nexport type R${i} = ${answer};`;
    })
    .join("\n");
  const source = `import type Stripe from "stripe";\n${aliases}\n`;
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) =>
    resolve(file) === VIRTUAL ? ts.createSourceFile(file, source, lang) : getSourceFile(file, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => resolve(file) === VIRTUAL || fileExists(file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (resolve(file) === VIRTUAL ? source : readFile(file));
  const prog = ts.createProgram([VIRTUAL], options, host);
  const probe = prog.getSourceFile(VIRTUAL)!;
  const problems = ts.getPreEmitDiagnostics(prog, probe);
  if (problems.length > 0) {
    throw new Error(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
  }
  return { checker: prog.getTypeChecker(), probe };
}

function shapeOf(checker: ts.TypeChecker, type: ts.Type, where: string, depth = 0): Shape {
  if (depth > 12) throw new Error(`${where}: nested too deep (a recursive type?)`);
  const parts = (type.isUnion() ? type.types : [type]).filter(
    (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)),
  );
  let fields: Record<string, Shape> | null = null;
  let element: Shape | null = null;
  let map = false;
  for (const part of parts) {
    if (isValue(part)) continue;
    if (part.flags & ts.TypeFlags.Any || part.flags & ts.TypeFlags.Unknown) {
      map = true;
      continue;
    }
    if (checker.isArrayType(part) || checker.isTupleType(part)) {
      const [arg] = checker.getTypeArguments(part as ts.TypeReference);
      const el = arg ? shapeOf(checker, arg, `${where}[]`, depth + 1) : true;
      element = element === null ? el : merge(element, el, where);
      continue;
    }
    if (part.flags & ts.TypeFlags.Object || part.flags & ts.TypeFlags.Intersection) {
      const props = checker
        .getPropertiesOfType(part)
        .filter((p) => !(checker.getTypeOfSymbol(p).getCallSignatures().length > 0));
      if (props.length === 0 && checker.getIndexInfosOfType(part).length > 0) {
        map = true;
        continue;
      }
      if (props.length === 0) continue; // a class-like value type (no request fields)
      fields ??= {};
      for (const p of props) {
        const child = shapeOf(checker, checker.getTypeOfSymbol(p), `${where}[${p.name}]`, depth + 1);
        fields[p.name] = fields[p.name] === undefined ? child : merge(fields[p.name]!, child, where);
      }
      continue;
    }
    throw new Error(`${where}: unsupported type ${checker.typeToString(part)}`);
  }
  if (map) return "map";
  if (fields && element) throw new Error(`${where}: both an object and a list`);
  if (fields) return fields;
  if (element !== null) return [element];
  return true;
}

const VALUE_FLAGS =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike;

/** A string, number or boolean, including branded ones (`OtherString` is `string & {}`). */
function isValue(type: ts.Type): boolean {
  if (type.flags & VALUE_FLAGS) return true;
  return type.isIntersection() && type.types.some((t) => Boolean(t.flags & VALUE_FLAGS));
}

function merge(a: Shape, b: Shape, where: string): Shape {
  if (a === true) return b;
  if (b === true) return a;
  if (a === "map" || b === "map") return "map";
  if (Array.isArray(a) && Array.isArray(b)) return [merge(a[0], b[0], where)];
  if (Array.isArray(a) || Array.isArray(b)) throw new Error(`${where}: both an object and a list`);
  const out: Record<string, Shape> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = out[k] === undefined ? v : merge(out[k]!, v, where);
  return out;
}

type Tree = { [field: string]: Node };
type Node = string | { $: string } | Tree;

const MAX_NESTING = 6;

/** The expandable fields of the routes' answers, per object type (see the generated file's comment). */
class Expandables {
  readonly roots: Record<string, Node> = {};
  readonly objects: Record<string, Tree> = {};
  private readonly names = new Map<ts.Type, string>();

  constructor(private readonly checker: ts.TypeChecker) {}

  root(route: string, type: ts.Type): void {
    const node = this.nodeOf(type, 0);
    if (node === null) throw new Error(`${route}: its answer has no object type`);
    this.roots[route] = node;
  }

  /** Without the objects that have nothing expandable, and the paths that lead only to them. */
  pruned(): this {
    let changed = true;
    const prune = (tree: Tree): void => {
      for (const [field, node] of Object.entries(tree)) {
        if (typeof node === "string") continue;
        const gone =
          "$" in node && typeof node.$ === "string"
            ? !Object.hasOwn(this.objects, node.$)
            : (prune(node as Tree), Object.keys(node).length === 0);
        if (gone) {
          delete tree[field];
          changed = true;
        }
      }
    };
    while (changed) {
      changed = false;
      for (const [name, tree] of Object.entries(this.objects)) {
        if (Object.keys(tree).length === 0) {
          delete this.objects[name];
          changed = true;
        }
      }
      for (const tree of Object.values(this.objects)) prune(tree);
    }
    for (const [route, node] of Object.entries(this.roots)) {
      const holder: Tree = { root: node };
      prune(holder);
      this.roots[route] = holder.root ?? {};
    }
    return this;
  }

  private props(type: ts.Type): ts.Symbol[] {
    return this.checker
      .getPropertiesOfType(type)
      .filter((p) => !(this.checker.getTypeOfSymbol(p).getCallSignatures().length > 0));
  }

  /** An API object: it has an \`id\` and an \`object\` discriminator. */
  private isApiObject(type: ts.Type): boolean {
    const names = new Set(this.props(type).map((p) => p.name));
    return names.has("id") && names.has("object");
  }

  private nameOf(type: ts.Type): string {
    const known = this.names.get(type);
    if (known) return known;
    const base = this.checker.typeToString(type).replace(/^Stripe\./, "");
    let name = base;
    for (let n = 2; Object.hasOwn(this.objects, name); n++) name = `${base}${n}`;
    this.names.set(type, name);
    this.objects[name] = {};
    this.objects[name] = this.treeOf(type, 0);
    return name;
  }

  private treeOf(type: ts.Type, depth: number): Tree {
    const tree: Tree = {};
    for (const p of this.props(type)) {
      const node = this.nodeOf(this.checker.getTypeOfSymbol(p), depth + 1);
      if (node !== null && !(typeof node === "object" && !("$" in node) && Object.keys(node).length === 0)) {
        tree[p.name] = node;
      }
    }
    return tree;
  }

  private nodeOf(type: ts.Type, depth: number): Node | null {
    const parts: ts.Type[] = [];
    const flatten = (t: ts.Type) => {
      if (t.isUnion()) return t.types.forEach(flatten);
      if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) return;
      if (this.checker.isArrayType(t)) return this.checker.getTypeArguments(t as ts.TypeReference).forEach(flatten);
      parts.push(t);
    };
    flatten(type);
    const ids = parts.some((t) => isValue(t));
    const objects = parts.filter((t) => t.flags & ts.TypeFlags.Object && this.props(t).length > 0);
    if (objects.length === 0) return null;
    const apiObjects = objects.filter((t) => this.isApiObject(t));
    if (ids && apiObjects.length > 0) return [...new Set(apiObjects.map((t) => this.nameOf(t)))].join("|");
    if (objects.length === 1 && apiObjects.length === 1) return { $: this.nameOf(objects[0]!) };
    if (depth > MAX_NESTING) return null;
    const tree: Tree = {};
    for (const t of objects) {
      const sub = apiObjects.includes(t) ? this.objects[this.nameOf(t)]! : this.treeOf(t, depth);
      Object.assign(tree, sub);
    }
    return tree;
  }
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

// Serialisation: objects met more than once (addresses, payment method options shared by
// create/update/confirm) are written once as a named constant.

function key(shape: Shape): string {
  return JSON.stringify(shape, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function literal(shape: Shape, shared: Map<string, string>, indent: string, top = false): string {
  if (shape === true) return "V";
  if (shape === "map") return "MAP";
  if (Array.isArray(shape)) return `[${literal(shape[0], shared, indent)}]`;
  const name = top ? undefined : shared.get(key(shape));
  if (name) return name;
  const entries = Object.keys(shape).sort();
  if (entries.length === 0) return "{}";
  const inner = indent + "  ";
  const lines = entries.map(
    (k) => `${inner}${/^[a-z_][a-z0-9_]*$/i.test(k) ? k : JSON.stringify(k)}: ${literal(shape[k]!, shared, inner)},`,
  );
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function collect(shape: Shape, counts: Map<string, { shape: Shape; n: number }>): void {
  if (shape === true || shape === "map") return;
  if (Array.isArray(shape)) return collect(shape[0], counts);
  const k = key(shape);
  const seen = counts.get(k);
  if (seen) {
    seen.n++;
    return; // its children were counted the first time
  }
  counts.set(k, { shape, n: 1 });
  for (const child of Object.values(shape)) collect(child, counts);
}

export async function generate(): Promise<string> {
  const { checker, probe } = program();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(probe)!);
  const typeOf = (name: string) => checker.getDeclaredTypeOfSymbol(exported.find((s) => s.name === name)!);
  const expandables = new Expandables(checker);
  const routes = Object.entries(ROUTE_TYPES).map(([route, [typeName]], i) => {
    if (ROUTE_TYPES[route]![1]) expandables.root(route, typeOf(`R${i}`));
    const alias = exported.find((s) => s.name === `P${i}`)!;
    let shape = shapeOf(checker, checker.getDeclaredTypeOfSymbol(alias), route);
    if (shape === true) shape = {}; // an empty params interface
    if (shape === "map" || Array.isArray(shape)) throw new Error(`${route}: params are not an object`);
    return { route, typeName, shape };
  });

  const counts = new Map<string, { shape: Shape; n: number }>();
  for (const r of routes) collect(r.shape, counts);
  const shared = new Map<string, string>();
  const defs: string[] = [];
  // Children before parents, so each constant is declared before it is used.
  const order = [...counts.entries()].filter(([k, v]) => v.n > 1 && k.length > 60);
  order.sort(([a], [b]) => a.length - b.length);
  for (const [k, v] of order) {
    const name = `S${shared.size + 1}`;
    defs.push(`const ${name}: Accepts = ${literal(v.shape, shared, "", true)};`);
    shared.set(k, name);
  }
  const version = JSON.parse(readFileSync(resolve(root, "node_modules/stripe/package.json"), "utf8")).version as string;
  const body = routes
    .map((r) => `  // Stripe.${r.typeName}\n  "${r.route}": ${literal(r.shape, shared, "  ")},`)
    .join("\n");
  const text = `// GENERATED by scripts/stripe-emulator/tools/generate-accepted-params.ts from the request types of
// the pinned \`stripe\` SDK (${version}): do not edit by hand, run the generator after an SDK upgrade.
//
// The parameters each route accepts, top level and nested, exactly as Stripe does at that
// version, whether or not the emulator acts on them. \`V\` is a value, \`MAP\` free-form keys
// (metadata), an object its fields, \`[x]\` a list of x. http/router.ts refuses anything else.

export type Accepts = typeof V | typeof MAP | { readonly [key: string]: Accepts } | readonly [Accepts];

export const V = "value";
export const MAP = "map";

${defs.join("\n")}

export const ACCEPTED_PARAMS: Readonly<Record<string, Accepts>> = {
${body}
};

// What \`expand[]\` may name, from the SDK's object types: a field holding \`string | X\` (an id
// or the object) expands to X (\`"A|B"\`: to whichever it is); \`{ $: "X" }\` is an object X
// always embedded, which a longer path may go through (lists: \`data\`); nested objects are
// written out. Only fields that lead to something expandable are listed.

export type Expandable = string | { readonly $: string } | { readonly [field: string]: Expandable };

export const EXPANDABLE_ROOTS: Readonly<Record<string, Expandable>> = ${JSON.stringify(expandables.pruned().roots)};

export const EXPANDABLE_OBJECTS: Readonly<Record<string, Readonly<Record<string, Expandable>>>> = ${JSON.stringify(sortKeys(expandables.objects))};
`;
  const config = (await prettier.resolveConfig(OUT)) ?? {};
  return prettier.format(text, { ...config, filepath: OUT });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const text = await generate();
  if (process.argv.includes("--check")) {
    const current = readFileSync(OUT, "utf8");
    if (current !== text) {
      process.stderr.write(`${OUT} is stale: run this generator without --check\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    process.stdout.write(`wrote ${OUT} (${text.length} characters)\n`);
  }
}

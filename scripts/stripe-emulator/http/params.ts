// Typed readers over a parsed form object. Every reader names the parameter the way Stripe
// reports it in `error.param` (`line_items[0][price_data][currency]`).

import { invalidRequest, parameterInvalid, parameterMissing } from "./errors.js";
import type { FormObject, FormValue } from "./form.js";

export type Metadata = Record<string, string>;

const MAX_METADATA_KEYS = 50;

export class Params {
  constructor(
    readonly data: FormObject,
    private readonly prefix = "",
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.data[key] !== undefined;
  }

  /** Present and not the empty string (Stripe's way of unsetting a field). */
  isSet(key: string): boolean {
    const v = this.data[key];
    return v !== undefined && v !== "";
  }

  string(key: string): string | undefined {
    const v = this.data[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw invalidRequest(`Invalid string: ${describe(v)}`, { param: this.name(key) });
    return v;
  }

  requireString(key: string): string {
    const v = this.string(key);
    if (v === undefined || v === "") throw parameterMissing(this.name(key));
    return v;
  }

  /** A string or null when the client sent `key=` to clear it; undefined when absent. */
  nullableString(key: string): string | null | undefined {
    const v = this.string(key);
    return v === "" ? null : v;
  }

  int(key: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.string(key);
    if (raw === undefined || raw === "") return undefined;
    if (!/^-?\d+$/.test(raw)) {
      throw parameterInvalid(this.name(key), `Invalid integer: ${raw}`, "parameter_invalid_integer");
    }
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) {
      throw parameterInvalid(this.name(key), `Invalid integer: ${raw}`, "parameter_invalid_integer");
    }
    if (opts.min !== undefined && n < opts.min) {
      throw parameterInvalid(this.name(key), `This value must be greater than or equal to ${opts.min}.`);
    }
    if (opts.max !== undefined && n > opts.max) {
      throw parameterInvalid(this.name(key), `This value must be less than or equal to ${opts.max}.`);
    }
    return n;
  }

  requireInt(key: string, opts: { min?: number; max?: number } = {}): number {
    const n = this.int(key, opts);
    if (n === undefined) throw parameterMissing(this.name(key));
    return n;
  }

  bool(key: string): boolean | undefined {
    const raw = this.string(key);
    if (raw === undefined || raw === "") return undefined;
    if (raw === "true") return true;
    if (raw === "false") return false;
    throw parameterInvalid(this.name(key), `Invalid boolean: ${raw}`);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(key);
    if (raw === undefined || raw === "") return undefined;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw parameterInvalid(this.name(key), `Invalid ${key}: must be one of ${allowed.join(", ")}`);
    }
    return raw as T;
  }

  object(key: string): Params | undefined {
    const v = this.data[key];
    if (v === undefined || v === "") return undefined;
    if (typeof v !== "object" || Array.isArray(v)) {
      throw invalidRequest(`Invalid object`, { param: this.name(key) });
    }
    return new Params(v, this.name(key));
  }

  /** Accepts `k[]=a&k[]=b`, `k[0]=a&k[1]=b` and a single `k=a`. */
  stringList(key: string): string[] | undefined {
    const v = this.data[key];
    if (v === undefined) return undefined;
    if (v === "") return [];
    const items = listItems(v, this.name(key));
    return items.map((item, i) => {
      if (typeof item !== "string") throw invalidRequest("Invalid array", { param: `${this.name(key)}[${i}]` });
      return item;
    });
  }

  objectList(key: string): Params[] | undefined {
    const v = this.data[key];
    if (v === undefined) return undefined;
    return listItems(v, this.name(key)).map((item, i) => {
      const name = `${this.name(key)}[${i}]`;
      if (typeof item !== "object" || Array.isArray(item)) throw invalidRequest("Invalid object", { param: name });
      return new Params(item, name);
    });
  }

  /**
   * Metadata as Stripe validates it: at most 50 keys, keys up to 40 characters, values up to
   * 500. Returns the requested change; `applyMetadata` merges it (empty value = delete key).
   */
  metadata(key = "metadata"): Metadata | "clear" | undefined {
    const v = this.data[key];
    if (v === undefined) return undefined;
    if (v === "") return "clear";
    if (typeof v !== "object" || Array.isArray(v)) {
      throw invalidRequest("Invalid object", { param: this.name(key) });
    }
    const out: Metadata = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== "string") throw invalidRequest("Invalid string", { param: `${this.name(key)}[${k}]` });
      if (k.length > 40) {
        throw parameterInvalid(`${this.name(key)}[${k}]`, "Metadata keys can have up to 40 characters.");
      }
      if (val.length > 500) {
        throw parameterInvalid(`${this.name(key)}[${k}]`, "Metadata values can have up to 500 characters.");
      }
      out[k] = val;
    }
    if (Object.keys(out).length > MAX_METADATA_KEYS) {
      throw parameterInvalid(this.name(key), "You can have up to 50 metadata keys.");
    }
    return out;
  }

  expand(): string[] {
    return this.stringList("expand") ?? [];
  }
}

function listItems(v: FormValue, name: string): FormValue[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [v];
  const keys = Object.keys(v);
  if (!keys.every((k) => /^\d+$/.test(k))) throw invalidRequest("Invalid array", { param: name });
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => v[k]!);
}

function describe(v: FormValue): string {
  return Array.isArray(v) ? "array" : typeof v === "object" ? "object" : v;
}

export function applyMetadata(current: Metadata, change: Metadata | "clear" | undefined): Metadata {
  if (change === undefined) return current;
  if (change === "clear") return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(change)) {
    if (v === "") delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > MAX_METADATA_KEYS) {
    throw parameterInvalid("metadata", "You can have up to 50 metadata keys.");
  }
  return next;
}

import { AsyncLocalStorage } from "node:async_hooks";

// Work shared by the loaders of one page view. Remix runs the root's loader and the page's in
// parallel, each with its own copy of the Request, and both ask who is signed in: within one
// read (GET or HEAD) the answer is looked up once. Writes get no scope, so an action that signs
// someone out, or revokes a session, is never answered from a lookup made before it.
//
// The HTTP server (which tsx loads from source) and the built app (a bundle) each hold a copy
// of this module; the store lives on a global symbol so both copies share one.

type Store = Map<string, Promise<unknown>>;
const KEY = Symbol.for("colecta.requestScope");
const globals = globalThis as { [KEY]?: AsyncLocalStorage<Store> };
const storage = (globals[KEY] ??= new AsyncLocalStorage<Store>());

/** Runs a read request's handling with a fresh scope. */
export function runInReadScope<T>(fn: () => T): T {
  return storage.run(new Map(), fn);
}

/** The value computed once per read request under `key`; outside a read scope, computed each time. */
export function oncePerRead<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const store = storage.getStore();
  if (!store) return compute();
  let value = store.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    store.set(key, value);
  }
  return value;
}

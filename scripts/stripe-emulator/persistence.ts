// Durable state: a snapshot plus an append-only journal (decision 028).
//
//   <dataDir>/stripe-emulator/state.json            the whole state at some point in time, and the
//                                                   journal generation it is followed by
//   <dataDir>/stripe-emulator/journal.<gen>.ndjson  one JSON line per mutation batch since then
//
// A batch is everything one mutating step changed: an API request (with its Idempotency-Key
// record), a hosted page's form post, a deferred job, a webhook attempt's outcome. The step runs
// synchronously inside `mutate()`; right after it, still synchronously, the batch is appended to
// the journal, and the step's answer waits for `durable()`: an fsync that covers it. fsyncs are
// asynchronous and shared by every batch written meanwhile (group commit), so the event loop keeps
// serving while the disk catches up. A torn last line (a crash mid-write) was never acknowledged
// and is ignored on replay.
//
// What changed is recorded generically, so a new collection or a new piece of internal state is
// covered without touching this file:
//  - every property of the Store that is a Collection is instrumented: insert/delete are always
//    recorded; get/require record the row they return while a mutating step runs (a row read
//    there may be changed in place, so it is written again: extra bytes, never a lost change).
//    A scan (`all()`) records nothing: steps scan to look up or add up (balances, transfers from a
//    charge), and writing every row of a collection per scan would make a step cost the whole
//    collection. A step that changes a row it found by scanning names it with get() first;
//  - `store.internal` is wrapped in a Proxy: a map-like property (cards, checkout, idempotency...)
//    records the keys set, deleted, or read during a step; an array or scalar property (jobs,
//    deliveries, clockOffsetMs) is written whole when set, or read during a step.
//
// The journal is compacted into a fresh snapshot at start-up, when it outgrows the last snapshot
// (at least 8 MiB), once a minute when anything was journaled meanwhile (which also bounds how
// long a change that escaped the tracking stays in memory only), on flush() and on close(). A
// snapshot is serialised synchronously (a consistent point in time; new batches then go to the
// next journal generation), written to a temp file, fsync'd and renamed; only then are the older
// journals deleted. A crash at any moment leaves a snapshot and the journals that follow it.

import {
  fsync as fsyncCb,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import { Collection, type Snapshot, type Store } from "./store.js";
import type { StoredObject } from "./types.js";

const SNAPSHOT_VERSION = 2;
const MIN_COMPACT_BYTES = 8 * 1024 * 1024;
const COMPACT_EVERY_MS = 60_000;
const OBJECTS_PER_CHUNK = 500;
const WRITE_BATCH = 64;
const JOURNAL_RE = /^journal\.(\d+)\.ndjson$/;

interface SnapshotV2 {
  version: 2;
  /** The first journal generation not included. */
  journal: number;
  collections: Record<string, StoredObject[]>;
  internal: Record<string, unknown>;
}

/** One journal line. */
interface Batch {
  /** The state was reset first (admin reset). */
  r?: 1;
  /** Collections: rows upserted, ids deleted. */
  c?: Record<string, { u?: StoredObject[]; d?: string[] }>;
  /** Map-like internal properties: keys set, keys deleted. */
  m?: Record<string, { u?: Record<string, unknown>; d?: string[] }>;
  /** Internal properties written whole; `wd` the ones deleted. */
  w?: Record<string, unknown>;
  wd?: string[];
}

type AnyCollection = Collection<StoredObject>;

/** The Store's collections, found by type (not from a list), keyed by property name. */
function collectionsOf(store: Store): Map<string, AnyCollection> {
  const out = new Map<string, AnyCollection>();
  for (const [name, value] of Object.entries(store))
    if (value instanceof Collection) out.set(name, value as AnyCollection);
  return out;
}

function isMapLike(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What the running step has changed (or may have: rows and keys it read). */
class Changes {
  /** > 0 while a mutating step runs. */
  depth = 0;
  reset = false;
  readonly rows = new Map<string, Set<string>>();
  readonly keys = new Map<string, Set<string>>();
  readonly whole = new Set<string>();

  row(collection: string, id: string): void {
    let ids = this.rows.get(collection);
    if (!ids) this.rows.set(collection, (ids = new Set()));
    ids.add(id);
  }

  key(prop: string, key: string): void {
    let keys = this.keys.get(prop);
    if (!keys) this.keys.set(prop, (keys = new Set()));
    keys.add(key);
  }

  get empty(): boolean {
    return !this.reset && this.rows.size === 0 && this.keys.size === 0 && this.whole.size === 0;
  }

  clear(): void {
    this.reset = false;
    this.rows.clear();
    this.keys.clear();
    this.whole.clear();
  }
}

/** An open journal file: synchronous appends, shared asynchronous fsyncs. */
class JournalFile {
  bytes = 0;
  private written = 0;
  private synced = 0;
  private syncing = false;
  private closeWhenIdle = false;
  private waiters: { seq: number; resolve: () => void }[] = [];

  constructor(
    readonly fd: number,
    private readonly log: (line: string) => void,
  ) {}

  append(line: string): void {
    const buf = Buffer.from(line, "utf8");
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.bytes += buf.length;
    this.written++;
    this.kick();
  }

  /** Resolves once everything appended so far is on disk. */
  durable(): Promise<void> {
    if (this.synced === this.written) return Promise.resolve();
    const seq = this.written;
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  private kick(): void {
    if (this.syncing || this.synced === this.written) return;
    this.syncing = true;
    const target = this.written;
    fsyncCb(this.fd, (err) => {
      this.syncing = false;
      if (err) this.log(`stripe-emulator: fsync of the journal failed: ${String(err)}`);
      this.settle(target);
      if (this.closeWhenIdle) closeSync(this.fd);
      else this.kick();
    });
  }

  private settle(seq: number): void {
    this.synced = Math.max(this.synced, seq);
    const ready = this.waiters.filter((w) => w.seq <= this.synced);
    this.waiters = this.waiters.filter((w) => w.seq > this.synced);
    for (const w of ready) w.resolve();
  }

  /** Syncs what is left now and closes (after an fsync in flight, if any). */
  close(): void {
    if (this.synced !== this.written) {
      fsyncSync(this.fd);
      this.settle(this.written);
    }
    if (this.syncing) this.closeWhenIdle = true;
    else closeSync(this.fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

export class DurableState {
  private readonly dir: string;
  private readonly file: string;
  private readonly changes = new Changes();
  private readonly collections: Map<string, AnyCollection>;
  /** The collections' own get(), untouched by instrumentation. */
  private readonly rawGet = new Map<string, (id: string) => StoredObject | undefined>();
  private rawInternal: Record<string, unknown> = {};
  private journal: JournalFile | null = null;
  private generation = 0;
  private snapshotBytes = 0;
  private compacting: Promise<void> | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  /** Measured cost of the last snapshot (README, decision 028). */
  lastSnapshotMs = 0;

  constructor(
    dir: string,
    private readonly store: Store,
    private readonly log: (line: string) => void,
  ) {
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
    this.file = join(dir, "state.json");
    this.collections = collectionsOf(store);
  }

  get path(): string {
    return this.file;
  }

  /** Reads the snapshot and replays the journals after it, starts tracking, and compacts. */
  load(): void {
    const snapshotGen = this.readSnapshot();
    const journals = this.journalFiles();
    let replayed = 0;
    for (const { gen, name } of journals) {
      if (gen < snapshotGen) continue;
      replayed += this.replay(join(this.dir, name));
    }
    this.generation = Math.max(snapshotGen, ...journals.map((j) => j.gen));
    this.instrument();
    if (replayed > 0) this.log(`stripe-emulator: replayed ${replayed} journal batch(es) from ${this.dir}`);
    this.compactSync();
    this.timer = setInterval(() => {
      if (!this.compacting && this.journal && this.journal.bytes > 0) void this.compact();
    }, COMPACT_EVERY_MS);
    this.timer.unref();
  }

  /** Runs one mutating step: what it changes forms one journal batch, appended right after it. */
  mutate<T>(fn: () => T): T {
    this.changes.depth++;
    try {
      return fn();
    } finally {
      this.changes.depth--;
      if (this.changes.depth === 0) this.commit();
    }
  }

  get inStep(): boolean {
    return this.changes.depth > 0;
  }

  /** Appends whatever changed since the last batch (nothing to do when nothing changed). */
  commit(): void {
    if (!this.appendPending()) return;
    if (!this.compacting && this.journal!.bytes > Math.max(MIN_COMPACT_BYTES, this.snapshotBytes)) {
      void this.compact();
    }
  }

  private appendPending(): boolean {
    if (this.changes.empty || !this.journal) return false;
    const line = `${JSON.stringify(this.batch())}\n`;
    this.changes.clear();
    this.journal.append(line);
    return true;
  }

  /** Resolves once every batch appended so far is on disk. */
  durable(): Promise<void> {
    return this.journal ? this.journal.durable() : Promise.resolve();
  }

  /** The store was reset: journal it as such, and track the new internal state. */
  afterReset(): void {
    this.changes.clear();
    this.changes.reset = true;
    this.wrapInternal();
    for (const name of Object.keys(this.rawInternal)) this.changes.whole.add(name);
    this.commit();
  }

  /** Writes a fresh snapshot now (and waits for one in progress). */
  async flush(): Promise<void> {
    if (this.compacting) await this.compacting;
    await this.compact();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    this.journal?.close();
    this.journal = null;
  }

  // --- Tracking -------------------------------------------------------------------------------

  private instrument(): void {
    const changes = this.changes;
    for (const [name, c] of this.collections) {
      const get = c.get.bind(c);
      const require = c.require.bind(c);
      const insert = c.insert.bind(c);
      const remove = c.delete.bind(c);
      this.rawGet.set(name, get);
      c.get = (id) => {
        const row = get(id);
        if (row && changes.depth > 0) changes.row(name, id);
        return row;
      };
      c.require = (id, param) => {
        const row = require(id, param);
        if (changes.depth > 0) changes.row(name, id);
        return row;
      };
      c.insert = (row) => {
        changes.row(name, row.id);
        return insert(row);
      };
      c.delete = (id) => {
        changes.row(name, id);
        return remove(id);
      };
    }
    this.wrapInternal();
  }

  /** Puts a recording Proxy in front of `store.internal` (again after a reset replaced it). */
  private wrapInternal(): void {
    const changes = this.changes;
    const raw = this.store.internal as unknown as Record<string, unknown>;
    this.rawInternal = raw;
    const proxies = new Map<string, { target: object; proxy: object }>();
    const unwrap = new WeakMap<object, object>();
    const wrap = (prop: string, value: unknown): unknown => {
      if (value === null || typeof value !== "object") return value;
      const cached = proxies.get(prop);
      if (cached?.target === value) return cached.proxy;
      const proxy = Array.isArray(value)
        ? new Proxy(value, {
            get(t, k) {
              if (changes.depth > 0) changes.whole.add(prop);
              return Reflect.get(t, k);
            },
            set(t, k, v) {
              changes.whole.add(prop);
              return Reflect.set(t, k, v);
            },
            deleteProperty(t, k) {
              changes.whole.add(prop);
              return Reflect.deleteProperty(t, k);
            },
          })
        : new Proxy(value, {
            get(t, k) {
              if (changes.depth > 0 && typeof k === "string" && Object.hasOwn(t, k)) changes.key(prop, k);
              return Reflect.get(t, k);
            },
            set(t, k, v) {
              if (typeof k === "string") changes.key(prop, k);
              return Reflect.set(t, k, v);
            },
            deleteProperty(t, k) {
              if (typeof k === "string") changes.key(prop, k);
              return Reflect.deleteProperty(t, k);
            },
          });
      proxies.set(prop, { target: value, proxy });
      unwrap.set(proxy, value);
      return proxy;
    };
    this.store.internal = new Proxy(raw, {
      get(t, k) {
        const value = Reflect.get(t, k);
        return typeof k === "string" ? wrap(k, value) : value;
      },
      set(t, k, v) {
        if (typeof k === "string") {
          changes.whole.add(k);
          proxies.delete(k);
        }
        return Reflect.set(t, k, (v !== null && typeof v === "object" && unwrap.get(v)) || v);
      },
      deleteProperty(t, k) {
        if (typeof k === "string") changes.whole.add(k);
        return Reflect.deleteProperty(t, k);
      },
    }) as unknown as Store["internal"];
  }

  private batch(): Batch {
    const out: Batch = {};
    if (this.changes.reset) out.r = 1;
    for (const [name, ids] of this.changes.rows) {
      const get = this.rawGet.get(name)!;
      const u: StoredObject[] = [];
      const d: string[] = [];
      for (const id of ids) {
        const row = get(id);
        if (row) u.push(row);
        else d.push(id);
      }
      (out.c ??= {})[name] = { ...(u.length ? { u } : {}), ...(d.length ? { d } : {}) };
    }
    for (const [prop, keys] of this.changes.keys) {
      if (this.changes.whole.has(prop)) continue;
      const map = this.rawInternal[prop];
      if (!isMapLike(map)) {
        this.changes.whole.add(prop);
        continue;
      }
      const u: Record<string, unknown> = {};
      const d: string[] = [];
      for (const key of keys) {
        if (Object.hasOwn(map, key)) u[key] = map[key];
        else d.push(key);
      }
      (out.m ??= {})[prop] = { u, ...(d.length ? { d } : {}) };
    }
    for (const prop of this.changes.whole) {
      if (Object.hasOwn(this.rawInternal, prop)) (out.w ??= {})[prop] = this.rawInternal[prop];
      else (out.wd ??= []).push(prop);
    }
    return out;
  }

  // --- Loading --------------------------------------------------------------------------------

  /** Loads state.json into the store; returns the first journal generation to replay. */
  private readSnapshot(): number {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw err;
    }
    this.snapshotBytes = Buffer.byteLength(text);
    const saved = JSON.parse(text) as SnapshotV2 | Snapshot;
    if (saved.version === SNAPSHOT_VERSION) {
      const v2 = saved as SnapshotV2;
      this.store.reset();
      for (const [name, c] of this.collections) c.load(v2.collections[name] ?? []);
      Object.assign(this.store.internal, v2.internal);
      return v2.journal;
    }
    // The snapshot-only format written before the journal (collections by their snake_case names).
    this.store.restore(saved as Snapshot);
    return 0;
  }

  private journalFiles(): { gen: number; name: string }[] {
    return readdirSync(this.dir)
      .map((name) => ({ name, m: JOURNAL_RE.exec(name) }))
      .filter((f) => f.m)
      .map((f) => ({ gen: Number(f.m![1]), name: f.name }))
      .sort((a, b) => a.gen - b.gen);
  }

  /** Applies a journal file's batches; a torn or unreadable tail (a crash mid-append) ends it. */
  private replay(path: string): number {
    const text = readFileSync(path, "utf8");
    const lines = text.split("\n");
    // The last piece has no newline: empty, or a write that never completed.
    lines.pop();
    let n = 0;
    for (const line of lines) {
      let batch: Batch;
      try {
        batch = JSON.parse(line) as Batch;
      } catch {
        this.log(`stripe-emulator: ${path}: unreadable journal line ${n + 1}; ignoring it and what follows`);
        break;
      }
      this.apply(batch);
      n++;
    }
    return n;
  }

  private apply(batch: Batch): void {
    if (batch.r) this.store.reset();
    const internal = this.store.internal as unknown as Record<string, unknown>;
    for (const [name, ops] of Object.entries(batch.c ?? {})) {
      const c = this.collections.get(name);
      if (!c) continue;
      for (const row of ops.u ?? []) c.insert(row);
      for (const id of ops.d ?? []) c.delete(id);
    }
    for (const [prop, ops] of Object.entries(batch.m ?? {})) {
      const map = isMapLike(internal[prop]) ? (internal[prop] as Record<string, unknown>) : (internal[prop] = {});
      Object.assign(map, ops.u ?? {});
      for (const key of ops.d ?? []) delete (map as Record<string, unknown>)[key];
    }
    for (const [prop, value] of Object.entries(batch.w ?? {})) internal[prop] = value;
    for (const prop of batch.wd ?? []) delete internal[prop];
  }

  // --- Compaction -----------------------------------------------------------------------------

  /**
   * Synchronous part of a compaction: pending changes appended, the current journal synced and
   * closed, the next generation opened, and the snapshot serialised at this point in time.
   */
  private beginCompaction(): { chunks: string[]; gen: number } {
    this.appendPending();
    this.journal?.close();
    const gen = this.generation + 1;
    this.generation = gen;
    this.journal = new JournalFile(openSync(join(this.dir, `journal.${gen}.ndjson`), "a"), this.log);
    fsyncDir(this.dir);
    const started = performance.now();
    const chunks = this.serialize(gen);
    this.lastSnapshotMs = performance.now() - started;
    return { chunks, gen };
  }

  /** The new snapshot is in place: older journals are no longer needed. */
  private endCompaction(gen: number, bytes: number): void {
    this.snapshotBytes = bytes;
    fsyncDir(this.dir);
    for (const j of this.journalFiles()) {
      if (j.gen < gen) {
        try {
          unlinkSync(join(this.dir, j.name));
        } catch {
          // Already gone.
        }
      }
    }
  }

  private compactSync(): void {
    const { chunks, gen } = this.beginCompaction();
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, "w");
    let bytes = 0;
    try {
      for (const chunk of chunks) {
        const buf = Buffer.from(chunk, "utf8");
        let off = 0;
        while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
        bytes += buf.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.endCompaction(gen, bytes);
  }

  private compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    if (this.closed) return Promise.resolve();
    const { chunks, gen } = this.beginCompaction();
    this.compacting = this.writeSnapshot(chunks)
      .then((bytes) => this.endCompaction(gen, bytes))
      .catch((err: unknown) => {
        // The journals since the last good snapshot are all kept: nothing is lost.
        this.log(`stripe-emulator: could not write ${this.file}: ${String(err)}`);
      })
      .finally(() => {
        this.compacting = null;
      });
    return this.compacting;
  }

  private async writeSnapshot(chunks: string[]): Promise<number> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(tmp, "w");
    let bytes = 0;
    try {
      for (let i = 0; i < chunks.length; i += WRITE_BATCH) {
        const text = chunks.slice(i, i + WRITE_BATCH).join("");
        bytes += Buffer.byteLength(text);
        await handle.write(text);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
    return bytes;
  }

  /**
   * The state as JSON text in pieces (a large state never hits V8's maximum string length), read
   * from the raw objects so the tracking proxies record nothing.
   */
  private serialize(gen: number): string[] {
    const out: string[] = [];
    const rows = (list: unknown[]) => {
      out.push("[");
      for (let i = 0; i < list.length; i += OBJECTS_PER_CHUNK) {
        out.push(
          (i > 0 ? "," : "") +
            list
              .slice(i, i + OBJECTS_PER_CHUNK)
              .map((r) => JSON.stringify(r))
              .join(","),
        );
      }
      out.push("]");
    };
    out.push(`{"version":${SNAPSHOT_VERSION},"journal":${gen},"collections":{`);
    let first = true;
    for (const [name, c] of this.collections) {
      out.push(`${first ? "" : ","}${JSON.stringify(name)}:`);
      rows(c.all());
      first = false;
    }
    out.push(`},"internal":{`);
    first = true;
    for (const [prop, value] of Object.entries(this.rawInternal)) {
      if (value === undefined) continue;
      out.push(`${first ? "" : ","}${JSON.stringify(prop)}:`);
      first = false;
      if (!isMapLike(value)) {
        out.push(JSON.stringify(value));
        continue;
      }
      out.push("{");
      const entries = Object.entries(value);
      for (let i = 0; i < entries.length; i += OBJECTS_PER_CHUNK) {
        out.push(
          (i > 0 ? "," : "") +
            entries
              .slice(i, i + OBJECTS_PER_CHUNK)
              .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
              .join(","),
        );
      }
      out.push("}");
    }
    out.push("}}");
    return out;
  }
}

// Saves the state as one JSON snapshot: written to a temp file, fsync'd, then renamed over the
// previous one, so a crash mid-write leaves the old snapshot intact, never half a file.
//
// Writes are debounced (200 ms after the first change) and, because serialising a large state
// is synchronous CPU work, spaced so that at most ~5% of the time goes to persistence: the
// minimum gap grows to 20x the last serialisation time. A busy emulator therefore saves less
// often instead of spending its event loop on JSON.stringify.
//
// Serialisation is synchronous on purpose: the snapshot is a consistent point in time (no
// PaymentIntent saved as succeeded without its charge). It is produced as many small strings,
// one batch of objects at a time, so a large state never hits V8's maximum string length.

import { mkdirSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Snapshot } from "./store.js";

const DEBOUNCE_MS = 200;
const OBJECTS_PER_CHUNK = 500;
const WRITE_BATCH = 64;
const MAX_PERSISTENCE_SHARE = 20;

export class SnapshotFile {
  private readonly file: string;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private dirty = false;
  private lastSerializeMs = 0;
  private lastWriteEnded = 0;

  constructor(
    dir: string,
    private readonly take: () => Snapshot,
    private readonly log: (line: string) => void,
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, "state.json");
  }

  get path(): string {
    return this.file;
  }

  load(): Snapshot | null {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    return JSON.parse(text) as Snapshot;
  }

  /** Note that state changed; a save follows soon. */
  markDirty(): void {
    this.dirty = true;
    if (this.timer || this.writing) return;
    const gap = Math.max(DEBOUNCE_MS, this.lastSerializeMs * MAX_PERSISTENCE_SHARE);
    const wait = Math.max(DEBOUNCE_MS, this.lastWriteEnded + gap - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, wait);
    this.timer.unref();
  }

  /** Writes now if anything changed (and waits for an in-flight write). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.writing) await this.writing;
    if (this.dirty) await this.save();
  }

  private save(): Promise<void> {
    if (this.writing) return this.writing;
    this.dirty = false;
    const started = performance.now();
    const chunks = serializeSnapshot(this.take());
    this.lastSerializeMs = performance.now() - started;
    this.writing = this.write(chunks)
      .catch((err: unknown) => {
        this.dirty = true;
        this.log(`stripe-emulator: could not save state to ${this.file}: ${String(err)}`);
      })
      .finally(() => {
        this.writing = null;
        this.lastWriteEnded = Date.now();
        if (this.dirty) this.markDirty();
      });
    return this.writing;
  }

  private async write(chunks: string[]): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(tmp, "w");
    try {
      for (let i = 0; i < chunks.length; i += WRITE_BATCH) {
        await handle.write(chunks.slice(i, i + WRITE_BATCH).join(""));
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
  }
}

/** The snapshot as JSON text in pieces (equivalent to JSON.stringify(snapshot)). */
function serializeSnapshot(snapshot: Snapshot): string[] {
  const out: string[] = [];
  const array = (rows: unknown[]) => {
    out.push("[");
    for (let i = 0; i < rows.length; i += OBJECTS_PER_CHUNK) {
      out.push(
        (i > 0 ? "," : "") +
          rows
            .slice(i, i + OBJECTS_PER_CHUNK)
            .map((r) => JSON.stringify(r))
            .join(","),
      );
    }
    out.push("]");
  };
  const { idempotency, ...internal } = snapshot.internal;
  out.push(`{"version":${snapshot.version},"internal":${JSON.stringify(internal).slice(0, -1)},"idempotency":{`);
  let first = true;
  for (const [key, record] of Object.entries(idempotency)) {
    out.push(`${first ? "" : ","}${JSON.stringify(key)}:${JSON.stringify(record)}`);
    first = false;
  }
  out.push(`}},"collections":{`);
  first = true;
  for (const [name, rows] of Object.entries(snapshot.collections)) {
    out.push(`${first ? "" : ","}${JSON.stringify(name)}:`);
    array(rows);
    first = false;
  }
  out.push("}}");
  return out;
}

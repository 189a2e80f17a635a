// Deferred work that Stripe does on its own: expiring Checkout Sessions at `expires_at`,
// opening a dispute on 4000000000000259 charges, failing refunds of pm_card_refundFail.
// Jobs live in the persisted state and run on the emulator clock, so they survive a restart
// (one scheduled by a request is journaled with it) and `POST /_emulator/clock/advance` makes them
// due. A run of due jobs is one step: taking them off the list and what they do are journaled
// together, so after a crash a job has either not run, or run and gone.

import { randomToken } from "./ids.js";
import type { Job } from "./store.js";

const MAX_TIMER_MS = 2 ** 31 - 1;

export type JobHandler = (ref: string) => void;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly jobs: () => Job[],
    private readonly setJobs: (jobs: Job[]) => void,
    private readonly now: () => number,
    /** Runs a step that changes state (Emulator.mutate). */
    private readonly step: (fn: () => void) => void,
    private readonly handlers: Record<Job["kind"], JobHandler>,
    private readonly onError: (job: Job, err: unknown) => void,
  ) {}

  schedule(kind: Job["kind"], ref: string, dueAt: number): void {
    this.jobs().push({ id: randomToken(12), kind, ref, dueAt });
    this.arm();
  }

  cancel(kind: Job["kind"], ref: string): void {
    this.setJobs(this.jobs().filter((j) => !(j.kind === kind && j.ref === ref)));
  }

  /** Runs every job that is due, then waits for the next one. Returns how many ran. */
  runDue(): number {
    const now = this.now();
    const due = this.jobs()
      .filter((j) => j.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt);
    if (due.length > 0) {
      this.step(() => {
        const ids = new Set(due.map((j) => j.id));
        this.setJobs(this.jobs().filter((j) => !ids.has(j.id)));
        for (const job of due) {
          try {
            this.handlers[job.kind](job.ref);
          } catch (err) {
            this.onError(job, err);
          }
        }
      });
    }
    this.arm();
    return due.length;
  }

  arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed) return;
    const jobs = this.jobs();
    if (jobs.length === 0) return;
    let next = Infinity;
    for (const j of jobs) next = Math.min(next, j.dueAt);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - this.now()));
    this.timer = setTimeout(() => this.runDue(), delay);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

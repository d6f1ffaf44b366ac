// The hub's background work, in-process on intervals: the event sequencer, webhook fan-out and
// delivery, and the time-driven events. Safe with several processes: each step locks what it takes.
import type { Hub } from './hub.js';
import { deliverDue, fanOut } from './events/dispatcher.js';
import { sequenceEvents } from './events/sequencer.js';
import {
  emitGrantExpiries,
  emitOverdueMonitoring,
  emitRestrictionExpiries,
} from './domain/jobs/time-jobs.js';
import { emitPassedDeadlines } from './domain/deadlines/jobs.js';

export type Jobs = { stop(): Promise<void>; runOnce(): Promise<void> };

type Task = { name: string; everyMs: number; run: () => Promise<unknown> };

export const startJobs = (hub: Hub, opts: { fastMs?: number; slowMs?: number } = {}): Jobs => {
  const db = hub.database.db;
  const fast = opts.fastMs ?? 250;
  const slow = opts.slowMs ?? 60_000;
  const tasks: Task[] = [
    { name: 'sequence', everyMs: fast, run: () => sequenceEvents(db) },
    { name: 'fan-out', everyMs: fast, run: () => fanOut(db, hub.clock.now()) },
    {
      name: 'deliver',
      everyMs: fast,
      run: () => deliverDue(db, hub.config, 8, (status) => hub.metrics.observeDelivery(status)),
    },
    { name: 'restriction-expiry', everyMs: slow, run: () => emitRestrictionExpiries(db, hub.clock.now()) },
    { name: 'monitoring-overdue', everyMs: slow, run: () => emitOverdueMonitoring(db, hub.clock.now()) },
    { name: 'grant-expiry', everyMs: slow, run: () => emitGrantExpiries(db, hub.clock.now()) },
    { name: 'deadlines', everyMs: slow, run: () => emitPassedDeadlines(db, hub.clock.now()) },
  ];
  let stopped = false;
  const running = new Set<Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  const busy = new Set<string>();
  const runTask = (t: Task) => {
    // One run of a task at a time in this process; a slow run is not stacked.
    if (stopped || busy.has(t.name)) return;
    busy.add(t.name);
    const p = t
      .run()
      .catch((err: unknown) => hub.log.warn({ err, job: t.name }, 'background job failed; it will run again'))
      .finally(() => {
        busy.delete(t.name);
        running.delete(p);
      });
    running.add(p);
  };
  for (const t of tasks) {
    const timer = setInterval(() => runTask(t), t.everyMs);
    timer.unref();
    timers.push(timer);
  }
  return {
    async runOnce() {
      for (const t of tasks) await t.run();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
};

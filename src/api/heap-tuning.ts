// V8 heap tuning for a long-running server process (`pia serve`), applied by the process entry, never by
// createApp (tests and embedders run many apps in one process and keep their own flags).
//
// Allocation-site pretenuring off. V8 decides per allocation site whether objects are born in the old
// generation, from how many of them survived a scavenge. Under bursts of concurrent checks (50 requests in
// flight) the sites of request-scoped objects (the parsed snapshot, the check's working objects) look
// long-lived and are switched to old-space allocation, a decision that sticks; from then on every request
// leaves tens of KB of garbage in the old generation (measured: ~52 KB promoted per check request with it,
// ~17 KB without), which costs CPU and brings a mark-compact every few seconds whose concurrent marking
// takes the core from the event loop. Measured on this 2-core machine, server pinned to one core
// (2026-12-05, 50 connections): promoted bytes per check request ~52 KB → ~17 KB (repeatable, sequential
// requests). In A/B runs of one open loop at half capacity, p99: memory store 51–89 ms → 12–37 ms (4 runs
// each), file store 65–102 ms → 17–96 ms (7 runs, 4 of them ≤ 24 ms: its fdatasync stalls remain); server
// CPU per check request fell 6–30 %. Whole bench/api runs made at different times vary more than that
// (open-loop p99 37–283 ms with the flag), so the promotion figure is the firm one.
//
// The flag must be set before the app's modules are loaded and run: set later (after imports, before the
// first request) it still cut the promotion, and in one harness not the CPU. So the entries (bin/pia.js,
// src/cli/bin.ts) call tuneServerHeap() for `pia serve` before they import the CLI; serve.ts calls it again
// (no-op then) for programmatic use.
import { setFlagsFromString } from 'node:v8';

export const SERVER_V8_FLAGS = ['--no-allocation-site-pretenuring'] as const;

let applied = false;

/** Applies SERVER_V8_FLAGS to this process (once). */
export function tuneServerHeap(): void {
  if (applied) return;
  applied = true;
  for (const flag of SERVER_V8_FLAGS) setFlagsFromString(flag);
}

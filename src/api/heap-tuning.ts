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
// Old-generation growth factor fixed at 4 (`--heap-growing-percent=300`). V8 sets the next mark-compact's
// limit from the live size times a factor it derives from GC and mutator speed; for this server it picked
// ~1.7 (live ~30 MB after a mark-compact, next one at ~52 MB), so at 650 check requests/s (half the file
// store's capacity, pinned to one core) a mark-compact came every ~2 s, and each one's concurrent marking
// (100–150 ms of CPU) shares the core with the event loop: every 2-s slice holding one had p99 58–87 ms,
// every slice without one 14–17 ms. What is promoted (~0.5 MB per scavenge, ~10 KB a request, the same
// order for the memory and the file store) is garbage by the next mark-compact, so a higher limit costs
// memory, not work: with factor 4 the limit is ~115 MB and a mark-compact comes every ~10 s, each as cheap
// as before (marking cost follows the live set, not the garbage). Measured 2026-12-06, file store, open loop
// at 650 req/s for 16 s, pinned, A/B interleaved: p99 43.6 / 57.9 / 52.0 / 60.3 / 40.6 ms without;
// with, 25.1 / 19.0 / 41.7 ms given to node and 11.7 / 29.3 / 18.6 ms set at run time as the entries do
// (bench/api's pooled half-capacity p99 then: file store 29.0 ms, memory store 20.5 ms). The price: the
// heap peaks at ~4× its live set (~115 MB here, ~52 MB before); V8 still caps it at its maximum heap size
// and its memory reducer still shrinks an idle server. (`--single-threaded-gc` helped more on the command
// line, but set at run time it aborts V8 in its first mark-compact: not used.)
// Later the same day most of that promotion went away at its source (the server's requests born on
// express's prototypes, api/http-server.ts; the check's memos on its context, check/context.ts): ~30 KB per
// scavenge instead of ~590 KB, so mark-compacts are rare with or without this factor; it stays as the
// bound on how often a burst of long-lived garbage can bring one.
//
// The flags must be set before the app's modules are loaded and run: set later (after imports, before the
// first request) it still cut the promotion, and in one harness not the CPU. So the entries (bin/pia.js,
// src/cli/bin.ts) call tuneServerHeap() for `pia serve` before they import the CLI; serve.ts calls it again
// (no-op then) for programmatic use.
import { setFlagsFromString } from 'node:v8';

export const SERVER_V8_FLAGS = ['--no-allocation-site-pretenuring', '--heap-growing-percent=300'] as const;

let applied = false;

/** Applies SERVER_V8_FLAGS to this process (once). */
export function tuneServerHeap(): void {
  if (applied) return;
  applied = true;
  for (const flag of SERVER_V8_FLAGS) setFlagsFromString(flag);
}

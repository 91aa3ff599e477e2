// Process-level safety net: no Chromium and no profile directory may outlive the Node process.
//
// Chromium runs in its own process group (puppeteer spawns it detached), so a Ctrl-C or a SIGTERM to
// our process does not reach it. On 'exit' we kill every tracked browser group and delete the profiles
// synchronously (nothing async runs in an 'exit' handler). On SIGINT/SIGTERM/SIGHUP:
//  - if nobody else listens to the signal, Node would have terminated by default: we clean up, remove our
//    handlers and re-raise the signal, so the process still dies of it (exit status 128+n, as expected by
//    shells and supervisors);
//  - if someone else listens (a server's graceful shutdown), they own the exit; we do nothing now and the
//    'exit' handler cleans up when they finish.
import { rmSync } from 'node:fs';

interface Tracked {
  pid: number | undefined;
  userDataDir: string;
}

const tracked = new Set<Tracked>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

/** Registers a launched browser; the returned function unregisters it (after a normal close). */
export function trackBrowserProcess(entry: Tracked): () => void {
  const item = { ...entry };
  tracked.add(item);
  install();
  return () => {
    tracked.delete(item);
    if (tracked.size === 0) uninstall();
  };
}

/** Number of browsers currently tracked (for tests and diagnostics). */
export function trackedBrowserCount(): number {
  return tracked.size;
}

function cleanupSync(): void {
  for (const item of tracked) {
    if (item.pid) {
      try {
        process.kill(-item.pid, 'SIGKILL');
      } catch {
        try {
          process.kill(item.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    try {
      rmSync(item.userDataDir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // A helper process may still be writing into it; nothing more can be done while exiting.
    }
  }
  tracked.clear();
  uninstall();
}

function onExit(): void {
  cleanupSync();
}

function onSignal(signal: NodeJS.Signals): void {
  // Our own handler counts as one listener.
  if (process.listenerCount(signal) > 1) return;
  cleanupSync();
  // Our handlers are gone now, so the default action (terminate) applies to the re-raised signal.
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

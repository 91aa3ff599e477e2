// Worker thread of loadTextOffThread: parses one text and posts the RawParse back. The parse is plain
// CPU work on a string, so it can run here while the main thread keeps answering requests; a text that
// takes too long is stopped by terminating this thread (see off-thread.ts).
import { parentPort } from 'node:worker_threads';
import { parseRaw, type ParseOptions, type RawParse } from './parse.ts';

export interface ParseRequest {
  text: string;
  opts: ParseOptions;
}

export type ParseReply =
  | { ok: true; raw: RawParse }
  | { ok: false; message: string }
  /** Sent once when the module has loaded: later failures are the input's, not the platform's. */
  | { ready: true };

parentPort?.on('message', (req: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { ok: true, raw: parseRaw(req.text, req.opts) };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage({ ready: true } satisfies ParseReply);

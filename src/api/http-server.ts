// The node HTTP server of an express app, whose request and response objects are born with the app's own
// prototypes (app.request, app.response).
//
// Why: express's app.handle sets the prototype of every request and response it is handed
// (`Object.setPrototypeOf(req, app.request)`, the same for res). V8 skips that when the prototype is
// already the one; otherwise changing an object's prototype left each request's objects alive past the
// next scavenge, so they were promoted and piled up until a mark-compact. Measured 2026-12-06, one core,
// 200 POST requests/s of a 32-KB JSON body, `--trace-gc-nvp`: a stock express route promoted ~1 MB per
// scavenge (~10 KB a request); node's own server without express, nothing; node's server calling
// Object.setPrototypeOf on req and res, ~350 KB per scavenge; the same express route on this server, 2 KB
// per scavenge. For `pia serve` that was most of what it promoted (each mark-compact's marking shares the
// core with the event loop: api/heap-tuning.ts).
//
// How: subclasses of node's IncomingMessage and ServerResponse whose prototypes carry what express put on
// app.request / app.response (express's methods by inheritance, the `app` property by copy), made the app's
// request and response prototypes. express then finds every object already on its prototype. Subclasses,
// not a constructor running node's through Reflect.construct with another new.target: that gave the same
// objects but cost more CPU than it saved (closed loop, 50 connections, in-memory store, server CPU per
// check request: stock 0.66–0.68 ms, Reflect.construct 0.80–0.82 ms, subclasses 0.55–0.67 ms).
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Express } from 'express';

/**
 * Copies `from`'s own properties onto `to` and gives `to` `from`'s prototype. `to` keeps its own
 * `constructor` (`from` has one when it is an earlier server's class prototype).
 */
function adoptPrototype(to: object, from: object): void {
  Object.setPrototypeOf(to, Object.getPrototypeOf(from) as object | null);
  for (const key of Reflect.ownKeys(from)) {
    if (key === 'constructor') continue;
    Object.defineProperty(to, key, Object.getOwnPropertyDescriptor(from, key)!);
  }
}

/**
 * A node HTTP server for `app`, as `http.createServer(app)`. It makes the app's request and response
 * prototypes those of its own classes, so call it once per app (a second server of the same app works, but
 * the first one's requests go back to having their prototype changed).
 */
export function createHttpServer(app: Express): Server {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  adoptPrototype(AppRequest.prototype, app.request);
  adoptPrototype(AppResponse.prototype, app.response);
  app.request = AppRequest.prototype as Express['request'];
  app.response = AppResponse.prototype as Express['response'];
  return createServer({ IncomingMessage: AppRequest, ServerResponse: AppResponse }, app);
}

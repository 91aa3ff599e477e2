// api/: the HTTP server of `pia serve` — createApp({ store, engine, pdf? }) and what its drivers need.
export { API_RESOURCES, API_ROUTES, authenticateBearer, createApp, type AppOptions } from './create-app.ts';
export { createApiEngine, type ApiEngine } from './engine-port.ts';
export { mapError, stderrLogger, type ErrorBody, type Logger } from './error-handler.ts';
export { createHttpServer } from './http-server.ts';
export { buildOpenApi } from './openapi.ts';
export { ACTIONS, can, PERMISSIONS, ROLE_NAMES, type Action } from './permissions.ts';
export {
  evaluateTransition,
  listTransitions,
  TRANSITION_RULES,
  PUBLIC_COMMENT_MIN_DAYS,
} from './procedure.ts';
export { PiaService, actorOf } from './service.ts';
export { loadSamples, type LoadedSamples } from './samples.ts';
export { startServer, type RunningServer, type ServerOptions } from './server.ts';

// web/: the server-rendered pages (Japanese, no JavaScript) mounted by createApp.
export { createWebRouter, formatDateTime, renderErrorPage, type WebOptions } from './pages.ts';
export {
  SessionStore,
  SESSION_COOKIE,
  LOGIN_CSRF_COOKIE,
  type Session,
  type SessionOptions,
} from './sessions.ts';
export { renderPage } from './views.ts';

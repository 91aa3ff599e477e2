// Security headers on every response (a dozen lines do not justify a dependency). The pages use no
// JavaScript and no third-party resources, so the policy can be strict: only our own stylesheets.
import type { RequestHandler, Response } from 'express';

export const DEFAULT_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The printable HTML of a document carries its stylesheet inline (it must print standalone), so that one
 * response allows inline styles; it still allows no script, no connection and no framing.
 */
export const DOCUMENT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', DEFAULT_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on our own form posts, and the
    // Origin check of the pages (CSRF defence in depth) needs the real origin. Other sites still get nothing.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    // Assessments are personal-data-adjacent: never cached by shared caches or kept in the browser cache.
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

export function allowInlineStyles(res: Response): void {
  res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
}

// A route is declared once, as data: method, path, permission, OpenAPI description and handler. The
// routers are built from these declarations and so is /openapi.json, so the document cannot drift from
// the app (a test also walks the app's router stack and looks every route up in the document).
import type { Request, Response } from 'express';
import type { Principal } from '../store/index.ts';
import type { ApiEngine } from './engine-port.ts';
import type { Action } from './permissions.ts';
import type { PiaService } from './service.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type JsonSchema = Record<string, unknown>;

export interface ParamSpec {
  name: string;
  in: 'query' | 'header' | 'path';
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface ResponseSpec {
  description: string;
  /** media type → schema (a `$ref` into components or an inline schema). */
  content?: Record<string, JsonSchema>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface RouteContext {
  req: Request;
  res: Response;
  /** Set for every route with an `action`. */
  principal: Principal;
  service: PiaService;
  engine: ApiEngine;
  options: AppLimits;
}

export interface AppLimits {
  /** Assessment documents and snapshots (bytes). */
  documentLimit: number;
}

export interface RouteSpec {
  method: Method;
  /** Express path syntax (`/api/assessments/:assessmentId`). */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** The permission the route needs; null for the few public routes. */
  action: Action | null;
  parameters?: ParamSpec[];
  requestBody?: { description: string; required: boolean; content: Record<string, JsonSchema> };
  /** Success responses; the error responses every route shares are added by the OpenAPI builder. */
  responses: Record<string, ResponseSpec>;
  handle(ctx: RouteContext): Promise<void> | void;
}

/** `/api/a/:id/b` → `/api/a/{id}/b` */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const jsonOf = (schema: JsonSchema): Record<string, JsonSchema> => ({ 'application/json': schema });

/** Route parameters are strings in express 5 (no wildcard routes here). */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join('/') : (v ?? '');
}

/** A single query parameter as a string (repeated parameters: the first). */
export function query(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

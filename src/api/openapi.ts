// The OpenAPI 3.1 document, built from the same route declarations the routers are built from.
import { REVIEW_STATUSES, ROLES } from '../store/index.ts';
import { PERMISSIONS, ROLE_NAMES } from './permissions.ts';
import { pathParams, ref, toOpenApiPath, type JsonSchema, type RouteSpec } from './route-spec.ts';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const int = { type: 'integer' };

const diagnostic: JsonSchema = {
  type: 'object',
  description: 'すべての所見の共通の形 (src/types.ts)',
  required: ['code', 'severity', 'message', 'path'],
  properties: {
    code: str,
    severity: { enum: ['error', 'warning', 'info'] },
    message: str,
    path: { type: 'string', description: 'JSON Pointer' },
    label: { type: 'string', description: '項目のラベルパス' },
    source: str,
    line: int,
    column: int,
    consequence: { enum: ['重要な変更', '修正', '違反', '要再評価', '情報'] },
    related: { type: 'array', items: { type: 'object', properties: { source: str, path: str, line: int } } },
    waived: { type: 'object', properties: { justification: str, approver: str, expires: str } },
  },
};

const SCHEMAS: Record<string, JsonSchema> = {
  Diagnostic: diagnostic,
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['status', 'code', 'message'],
        properties: {
          status: int,
          code: str,
          message: { type: 'string', description: '日本語のメッセージ' },
          reference: str,
          currentEtag: strOrNull,
        },
      },
      diagnostics: {
        type: 'array',
        items: ref('Diagnostic'),
        description: '入力についての所見 (読めない JSON/YAML など)',
      },
    },
  },
  JsonReport: {
    type: 'object',
    description: '`--format json` の出力',
    properties: {
      summary: { type: 'object', properties: { files: int, error: int, warning: int, info: int } },
      diagnostics: { type: 'array', items: ref('Diagnostic') },
    },
  },
  ValidationResult: {
    type: 'object',
    properties: {
      form: {
        type: ['object', 'null'],
        properties: { key: str, form: str, formVersion: str, formId: strOrNull },
      },
      diagnostics: { type: 'array', items: ref('Diagnostic') },
      summary: { type: 'object', properties: { error: int, warning: int, info: int } },
    },
  },
  ThresholdResult: {
    type: 'object',
    properties: {
      required: { type: 'array', items: { enum: ['基礎項目評価', '重点項目評価', '全項目評価'] } },
    },
  },
  Principal: {
    type: 'object',
    properties: { userId: str, name: str, role: { enum: [...ROLES] }, orgId: strOrNull, tokenId: str },
  },
  Organisation: { type: 'object', properties: { id: str, name: str, code: strOrNull, createdAt: str } },
  CreatedToken: {
    type: 'object',
    properties: {
      token: { type: 'string', description: '平文のトークン。この応答でだけ表示される' },
      info: {
        type: 'object',
        properties: {
          id: str,
          userId: str,
          label: str,
          createdAt: str,
          createdBy: str,
          expiresAt: strOrNull,
          revokedAt: strOrNull,
        },
      },
      user: {
        type: 'object',
        properties: {
          id: str,
          name: str,
          role: { enum: [...ROLES] },
          orgId: strOrNull,
          createdAt: str,
          disabledAt: strOrNull,
        },
      },
    },
  },
  Assessment: {
    type: 'object',
    properties: {
      id: str,
      orgId: str,
      title: { type: 'string', description: '事務名' },
      form: { enum: ['kiso', 'juten', 'zenkomoku', null] },
      number: strOrNull,
      createdAt: str,
      createdBy: str,
      updatedAt: str,
      deletedAt: strOrNull,
      latestVersionId: strOrNull,
      latestEtag: strOrNull,
      status: { enum: [...REVIEW_STATUSES, null] },
      versionCount: int,
    },
  },
  VersionInfo: {
    type: 'object',
    properties: {
      id: str,
      assessmentId: str,
      orgId: str,
      number: int,
      etag: str,
      author: str,
      createdAt: str,
      message: strOrNull,
      status: { enum: [...REVIEW_STATUSES] },
      docHash: str,
      size: int,
    },
  },
  Version: {
    allOf: [
      ref('VersionInfo'),
      { type: 'object', properties: { doc: { type: 'object', description: '評価書' } } },
    ],
  },
  ChangeLog: {
    type: 'object',
    description: '`pia diff --format json` と同じ形に、比べた版 (from, to) を加えたもの',
    properties: {
      from: ref('VersionInfo'),
      to: ref('VersionInfo'),
      rows: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            date: str,
            item: str,
            before: str,
            after: str,
            timing: { enum: ['事前', '事後'] },
            explanation: str,
          },
        },
      },
      rowDetails: { type: 'array', items: { type: 'object' } },
      summary: { type: 'object' },
      findings: { type: 'array', items: ref('Diagnostic') },
    },
  },
  CheckRunInfo: {
    type: 'object',
    properties: {
      id: str,
      versionId: str,
      assessmentId: str,
      orgId: str,
      actor: str,
      createdAt: str,
      summary: {
        type: 'object',
        properties: { error: int, warning: int, info: int, waived: int, total: int },
      },
      meta: { type: ['object', 'null'] },
      diagnosticsHash: str,
    },
  },
  Comment: {
    type: 'object',
    properties: {
      id: str,
      versionId: str,
      assessmentId: str,
      orgId: str,
      pointer: str,
      parentId: strOrNull,
      body: str,
      author: str,
      createdAt: str,
      resolved: { type: 'boolean' },
      resolvedAt: strOrNull,
      resolvedBy: strOrNull,
    },
  },
  StatusTransition: {
    type: 'object',
    properties: {
      id: str,
      versionId: str,
      assessmentId: str,
      orgId: str,
      from: { enum: [...REVIEW_STATUSES, null] },
      to: { enum: [...REVIEW_STATUSES] },
      actor: str,
      at: str,
      note: strOrNull,
    },
  },
  StatusView: {
    type: 'object',
    properties: {
      versionId: str,
      status: { enum: [...REVIEW_STATUSES] },
      history: { type: 'array', items: ref('StatusTransition') },
      transitions: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            to: { enum: [...REVIEW_STATUSES] },
            meaning: str,
            allowed: { type: 'boolean' },
            reason: str,
            note: str,
          },
        },
      },
    },
  },
  AuditEntry: {
    type: 'object',
    properties: {
      seq: int,
      at: str,
      actor: str,
      action: str,
      target: str,
      orgId: strOrNull,
      before: {},
      after: {},
      prevHash: str,
      hash: str,
    },
  },
  AuditVerification: {
    type: 'object',
    properties: {
      ok: { type: 'boolean' },
      count: int,
      head: { type: 'object', properties: { seq: int, hash: str } },
      brokenAt: int,
      reason: str,
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': ref('Error') },
});

/** An error response that tells the client when to try again. */
const retryLater = (description: string) =>
  Object.assign({}, errorResponse(description), {
    headers: {
      'Retry-After': { description: 'やり直すまでの秒数', schema: { type: 'integer', minimum: 1 } },
    },
  });

/** Whether a route answers with a PDF (and so goes through the render queue). */
function returnsPdf(route: RouteSpec): boolean {
  return Object.values(route.responses).some((x) => x.content?.['application/pdf'] !== undefined);
}

function rolesNote(route: RouteSpec): string {
  if (route.action === null) return '認証不要。';
  // The role ids beside the names: a token is created with `--role officer`, not with the Japanese name.
  const roles = PERMISSIONS[route.action].map((r) => `${ROLE_NAMES[r]} (${r})`).join('、');
  return `許可される役割: ${roles}。`;
}

/** A server-rendered page, listed so that the document covers every route of the app. */
export interface PageSpec {
  method: 'get' | 'post';
  path: string;
  summary: string;
  session: boolean;
}

function pagePaths(pages: readonly PageSpec[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const pg of pages) {
    const p = toOpenApiPath(pg.path);
    out[p] ??= {};
    out[p][pg.method] = {
      operationId: `page${pg.method === 'get' ? 'Get' : 'Post'}${pg.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()) || 'Root'}`,
      tags: ['画面 (HTML)'],
      summary: pg.summary,
      description: pg.session
        ? `ブラウザ向けの画面。セッション Cookie (pia_session) が必要${pg.method === 'post' ? '。フォームの _csrf (セッションごとの値) が一致しない送信は 403' : ''}。API のトークンでは使えない。`
        : 'ブラウザ向けの画面 (ログイン前でも使える)。',
      security: pg.session ? [{ session: [] }] : [],
      ...(pathParams(pg.path).length
        ? {
            parameters: pathParams(pg.path).map((name) => ({
              name,
              in: 'path',
              required: true,
              schema: { type: 'string' },
            })),
          }
        : {}),
      ...(pg.method === 'post'
        ? {
            requestBody: {
              required: true,
              content: {
                'application/x-www-form-urlencoded': {
                  schema: { type: 'object', properties: { _csrf: { type: 'string' } } },
                },
              },
            },
          }
        : {}),
      responses:
        pg.method === 'post'
          ? { '303': { description: '処理後に画面へ転送' } }
          : { '200': { description: 'HTML (またはスタイルシート / PDF)' } },
    };
  }
  return out;
}

export function buildOpenApi(
  routes: readonly RouteSpec[],
  opts: { version?: string; pages?: readonly PageSpec[] } = {},
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = toOpenApiPath(r.path);
    const declared = new Set((r.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name));
    const parameters = [
      ...(r.parameters ?? []),
      ...pathParams(r.path)
        .filter((n) => !declared.has(n))
        .map((name) => ({ name, in: 'path', required: true, description: name, schema: { type: 'string' } })),
    ];
    const responses: Record<string, unknown> = { ...r.responses };
    if (r.requestBody || r.parameters?.some((x) => x.in === 'query'))
      responses['400'] = errorResponse('リクエストが不正 (読めない JSON/YAML は diagnostics に行番号つき)');
    if (r.action !== null) {
      responses['401'] = errorResponse('トークンがない、または無効');
      responses['403'] = errorResponse('役割にこの操作の権限がない');
    }
    if (r.path.includes(':'))
      responses['404'] = errorResponse('ない、または他の組織のもの (存在を明かさないため同じ 404)');
    if (r.requestBody) {
      responses['413'] = errorResponse('本文が大きすぎる');
      responses['415'] = errorResponse('Content-Type が対応外');
      // body.ts: a body that parses but cannot be taken (loader limits, too many items) and a loader queue
      // that is full; import.ts: a PDF or text that is not a 評価書.
      responses['422'] = errorResponse(
        '本文を処理できない (項目が多すぎる、読み込みの上限を超えた、取り込めない PDF・テキストなど。diagnostics に理由)',
      );
      responses['503'] = retryLater('読み込み待ちの文書が多すぎる。Retry-After 秒後にやり直す');
    }
    if (returnsPdf(r)) {
      // pdf-jobs.ts: the render queue is full (Retry-After from the work ahead), PDF output is off on this
      // server, or the job failed.
      responses['503'] = retryLater(
        'PDF の作成待ちが満杯 (Retry-After 秒後にやり直す)、このサーバーでは PDF 出力が無効、または作成に失敗した',
      );
    }
    if (r.operationId === 'addVersion') {
      responses['412'] = errorResponse(
        'If-Match が最新版の ETag でない (何も保存していない。currentEtag に最新の ETag)',
      );
      responses['428'] = errorResponse('If-Match がない');
    }
    if (
      ['transitionStatus', 'createAssessment', 'updateAssessment', 'replyComment', 'resolveComment'].includes(
        r.operationId,
      )
    ) {
      responses['409'] = errorResponse('現在の状態と矛盾する');
    }
    responses['500'] = errorResponse('サーバー内部のエラー (参照番号つき、スタックトレースは返さない)');
    paths[p] ??= {};
    paths[p][r.method] = {
      operationId: r.operationId,
      tags: [r.tag],
      summary: r.summary,
      description: [r.description, rolesNote(r)].filter(Boolean).join('\n\n'),
      ...(r.action === null ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.requestBody
        ? {
            requestBody: Object.assign({}, r.requestBody, {
              content: Object.fromEntries(
                Object.entries(r.requestBody.content).map(([k, v]) => [k, { schema: v }]),
              ),
            }),
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(responses).map(([code, resp]) => {
          const x = resp as {
            description: string;
            content?: Record<string, JsonSchema>;
            headers?: Record<string, unknown>;
          };
          return [
            code,
            {
              description: x.description,
              ...(x.content
                ? {
                    content: Object.fromEntries(
                      Object.entries(x.content).map(([k, v]) => [k, { schema: v }]),
                    ),
                  }
                : {}),
              ...(x.headers ? { headers: x.headers } : {}),
            },
          ];
        }),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '特定個人情報保護評価書 コンプライアンス・エンジン API',
      version: opts.version ?? '0.1.0',
      description:
        '評価書 (基礎項目・重点項目・全項目) の版管理、検証、しきい値判断、変更箇所、PDF、ライブ構成との照合、点検コメント、手続の状態、監査ログ。' +
        '認証は Authorization: Bearer <トークン> (`pia token create` で発行)。他の組織の評価書は存在しないものとして 404 を返す。' +
        'エラーはすべて日本語の JSON ({ error: { status, code, message }, diagnostics? })。',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set([...routes.map((r) => r.tag), ...(opts.pages?.length ? ['画面 (HTML)'] : [])])].map(
      (name) => ({ name }),
    ),
    paths: { ...paths, ...pagePaths(opts.pages ?? []) },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: '`pia token create --role … --org …` が一度だけ表示するトークン',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pia_session',
          description: '画面のログインで発行されるセッション (HttpOnly, SameSite=Strict)',
        },
      },
      schemas: SCHEMAS,
    },
  };
}

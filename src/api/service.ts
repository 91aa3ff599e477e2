// What a signed-in user can do, in one place: the API routes and the web pages both call this, so the
// permission table, the organisation scope and the procedure rules cannot differ between them. Every
// method takes the principal first and authorises before it touches the store.
import type { PdfRenderer } from '../pdf/index.ts';
import type { RenderQueue } from '../queue/index.ts';
import { getAtPointer } from '../pointer.ts';
import {
  REVIEW_STATUSES,
  ROLES,
  type Assessment,
  type AuditEntry,
  type AuditVerification,
  type CheckRun,
  type CheckRunInfo,
  type Comment,
  type CreatedToken,
  type Organisation,
  type Principal,
  type ReviewStatus,
  type Role,
  type StatusTransition,
  type Store,
  type Version,
  type VersionInfo,
} from '../store/index.ts';
import type { Diagnostic, FormId, JsonObject } from '../types.ts';
import { inputDiagnostic } from './body.ts';
import type { ApiEngine, ChangeLogResult, LoadedDocument, PreparedCheck } from './engine-port.ts';
import { badRequest, conflict, forbidden, HttpError, notFound, notImplemented } from './http-error.ts';
import { authorize, canSeeOrg, type Action } from './permissions.ts';
import { evaluateTransition, listTransitions, orgTypeOf, type TransitionOption } from './procedure.ts';
import { EXCEPTIONS, type Annotations } from '../diff/index.ts';
import type { ChangeJudgement } from '../store/index.ts';

/** A judgement as a client sends it (empty strings mean "not set"). */
export interface JudgementInput {
  key: string;
  exception?: string | null;
  timing?: string | null;
  reason?: string | null;
  date?: string | null;
}

const JUDGEMENT_KEY_LIMIT = 2000;
const JUDGEMENT_TEXT_LIMIT = 10_000;

/** Checks one judgement the way the annotations file is checked (a typo must never turn a judgement off). */
export function checkJudgement(input: JudgementInput): {
  key: string;
  exception: string | null;
  timing: '事前' | '事後' | null;
  reason: string | null;
  date: string | null;
} {
  const fail = (message: string, path: string): never => {
    throw badRequest(message, [inputDiagnostic(message, 'request', path)]);
  };
  const text = (v: unknown, path: string, limit: number): string | null => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') return fail(`${path.slice(1)} は文字列で指定してください。`, path);
    if (v.includes('\u0000')) return fail('NUL 文字 (U+0000) は記録できません。', path);
    if (v.length > limit)
      return fail(`${path.slice(1)} が長すぎます (上限 ${limit.toLocaleString('en-US')} 文字)。`, path);
    return v.trim() === '' ? null : v;
  };
  const key = text(input.key, '/key', JUDGEMENT_KEY_LIMIT);
  if (!key) return fail('key (JSON Pointer または変更箇所の項目) を指定してください。', '/key');
  const exception = text(input.exception, '/exception', 200);
  if (exception !== null && !(EXCEPTIONS as readonly string[]).includes(exception))
    fail(`exception は ${EXCEPTIONS.join(' / ')} のいずれかです。`, '/exception');
  const timing = text(input.timing, '/timing', 10);
  if (timing !== null && timing !== '事前' && timing !== '事後')
    fail('timing は 事前 または 事後 です。', '/timing');
  const reason = text(input.reason, '/reason', JUDGEMENT_TEXT_LIMIT);
  const date = text(input.date, '/date', 10);
  if (date !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))))
    fail('date は YYYY-MM-DD の日付です。', '/date');
  return { key, exception, timing: timing as '事前' | '事後' | null, reason, date };
}

/** Stored judgements → the annotations object of the diff module (what an annotations file parses to). */
export function judgementsToAnnotations(list: readonly ChangeJudgement[], source: string): Annotations {
  return {
    source,
    entries: list.map((j) => ({
      key: j.key,
      ...(j.exception ? { exception: j.exception as Annotations['entries'][number]['exception'] } : {}),
      ...(j.timing ? { timing: j.timing } : {}),
      ...(j.reason ? { reason: j.reason } : {}),
      ...(j.date ? { date: j.date } : {}),
    })),
  };
}

/** Options of engine.changeLog with the judgements, when there are any. */
function changeLogOptions(annotations: Annotations | undefined): { annotations?: Annotations } {
  return annotations ? { annotations } : {};
}

/** The JST calendar day of an ISO timestamp. */
function isoDayJst(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t + 9 * 3600_000).toISOString().slice(0, 10) : iso.slice(0, 10);
}

export interface ServiceDeps {
  store: Store;
  engine: ApiEngine;
  /** PDF output; without it the PDF endpoints answer 503. */
  pdf?: PdfRenderer;
  /** Where PDF downloads are rendered (api/pdf-jobs.ts); without it the PDF endpoints answer 503. */
  queue?: RenderQueue;
  /** How long a PDF request waits for its job before answering 202 (default 10 s). */
  pdfWaitMs?: number;
  now?: () => Date;
}

/** `latest` names the newest version wherever a version id is expected. */
export const LATEST = 'latest';

export const actorOf = (p: Principal): string => `user:${p.userId}`;

export interface ValidationResult {
  form: { key: string; form: string; formVersion: string; formId: FormId | null } | null;
  diagnostics: Diagnostic[];
  summary: { error: number; warning: number; info: number };
}

export interface StatusView {
  versionId: string;
  status: ReviewStatus;
  history: StatusTransition[];
  /** Transitions of the procedure from here, with whether this principal may take them now. */
  transitions: TransitionOption[];
}

/** A bounded LRU memo by document hash (versions never change, so neither does what is derived from them). */
class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): V {
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return v;
  }
}

/**
 * Versions never change, so their parsed documents are kept (by content hash, up to a byte budget) instead
 * of being read, verified and copied from the store on every request. Cached documents are deep-frozen:
 * they are shared between requests, and a module that tried to modify one would fail loudly instead of
 * corrupting the others. The version's metadata (its review status changes) is always read fresh.
 */
class DocumentCache {
  private readonly map = new Map<string, { doc: JsonObject; size: number }>();
  private bytes = 0;
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}
  get(hash: string): JsonObject | undefined {
    const e = this.map.get(hash);
    if (e) {
      this.map.delete(hash);
      this.map.set(hash, e);
    }
    return e?.doc;
  }
  set(hash: string, doc: JsonObject, size: number): JsonObject {
    if (size > this.maxBytes / 4 || this.map.has(hash)) return doc;
    this.map.set(hash, { doc: deepFreeze(doc), size });
    this.bytes += size;
    for (const [h, old] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(h);
      this.bytes -= old.size;
    }
    return doc;
  }
}

function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const x of Object.values(v)) stack.push(x);
    }
  }
  return value;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export class PiaService {
  readonly store: Store;
  readonly engine: ApiEngine;
  readonly pdf: PdfRenderer | undefined;
  readonly queue: RenderQueue | undefined;
  readonly pdfWaitMs: number;
  readonly now: () => Date;
  private readonly validations = new LruCache<Diagnostic[]>(512);
  private readonly documents = new DocumentCache();
  /**
   * Prepared checks by document hash: CI posts snapshot after snapshot against the same version, and what
   * the check derives from the version alone is the larger half of its work. A prepared version holds its
   * declared model (a few times the document's size); 64 of them bound the memory.
   */
  private readonly preparedChecks = new LruCache<PreparedCheck>(64);

  constructor(deps: ServiceDeps) {
    this.store = deps.store;
    this.engine = deps.engine;
    this.pdf = deps.pdf;
    this.queue = deps.queue;
    this.pdfWaitMs = deps.pdfWaitMs ?? 10_000;
    this.now = deps.now ?? (() => new Date());
  }

  // ───────────── organisations, tokens ─────────────

  async listOrganisations(p: Principal): Promise<Organisation[]> {
    authorize(p, 'organisation.read');
    const all = await this.store.listOrganisations();
    return all.filter((o) => canSeeOrg(p, o.id));
  }

  async createOrganisation(
    p: Principal,
    input: { name: string; code?: string | null },
  ): Promise<Organisation> {
    authorize(p, 'organisation.create');
    return this.store.createOrganisation(input, { actor: actorOf(p) });
  }

  async createToken(
    p: Principal,
    input: { name: string; role: string; orgId: string | null; label?: string; expiresAt?: string | null },
  ): Promise<CreatedToken> {
    authorize(p, 'token.create');
    if (!ROLES.includes(input.role as Role)) {
      throw badRequest(`role は ${ROLES.join(' / ')} のいずれかです。`, [
        inputDiagnostic(`role「${input.role}」は使えません`, 'request', '/role'),
      ]);
    }
    const role = input.role as Role;
    if (role !== 'admin' && !input.orgId) {
      throw badRequest('admin 以外のトークンには orgId (組織) が必要です。', [
        inputDiagnostic('orgId を指定してください', 'request', '/orgId'),
      ]);
    }
    if (input.orgId && !(await this.store.getOrganisation(input.orgId))) throw notFound('組織');
    return this.store.createToken(
      {
        name: input.name,
        role,
        orgId: input.orgId,
        ...(input.label ? { label: input.label } : {}),
        expiresAt: input.expiresAt ?? null,
      },
      { actor: actorOf(p) },
    );
  }

  // ───────────── assessments ─────────────

  /** The assessment if the principal may see it; 404 otherwise (same answer as a missing one). */
  async getAssessment(p: Principal, id: string, action: Action = 'assessment.read'): Promise<Assessment> {
    authorize(p, action);
    const a = await this.store.getAssessment(id);
    if (!a || !canSeeOrg(p, a.orgId)) throw notFound('評価書');
    return a;
  }

  async listAssessments(p: Principal, filter: { orgId?: string } = {}): Promise<Assessment[]> {
    authorize(p, 'assessment.read');
    if (p.role !== 'admin') {
      if (filter.orgId && filter.orgId !== p.orgId) return [];
      if (!p.orgId) return [];
      return this.store.listAssessments({ orgId: p.orgId });
    }
    return this.store.listAssessments(filter.orgId ? { orgId: filter.orgId } : {});
  }

  async createAssessment(
    p: Principal,
    input: { orgId?: string; title: string; form?: FormId | null; number?: string | null },
  ): Promise<Assessment> {
    authorize(p, 'assessment.create');
    const orgId = p.role === 'admin' ? input.orgId : (input.orgId ?? p.orgId ?? undefined);
    if (!orgId)
      throw badRequest('orgId (組織) を指定してください。', [
        inputDiagnostic('orgId を指定してください', 'request', '/orgId'),
      ]);
    if (!canSeeOrg(p, orgId) || !(await this.store.getOrganisation(orgId))) throw notFound('組織');
    return this.store.createAssessment(
      { orgId, title: input.title, form: input.form ?? null, number: input.number ?? null },
      { actor: actorOf(p) },
    );
  }

  async updateAssessment(
    p: Principal,
    id: string,
    patch: { title?: string; form?: FormId | null; number?: string | null },
  ): Promise<Assessment> {
    await this.getAssessment(p, id, 'assessment.update');
    return this.store.updateAssessment(id, patch, { actor: actorOf(p) });
  }

  async deleteAssessment(p: Principal, id: string): Promise<Assessment> {
    await this.getAssessment(p, id, 'assessment.delete');
    return this.store.deleteAssessment(id, { actor: actorOf(p) });
  }

  // ───────────── versions ─────────────

  async listVersions(p: Principal, assessmentId: string): Promise<VersionInfo[]> {
    await this.getAssessment(p, assessmentId, 'version.read');
    return this.store.listVersions(assessmentId);
  }

  /**
   * A version of a visible assessment (`latest` allowed); 404 for a version of another assessment.
   * `assessment`: the same assessment, already looked up for this principal and action by the caller.
   */
  async getVersion(
    p: Principal,
    assessmentId: string,
    versionId: string,
    action: Action = 'version.read',
    assessment?: Assessment,
  ): Promise<{ assessment: Assessment; version: Version }> {
    if (!assessment || assessment.id !== assessmentId)
      assessment = await this.getAssessment(p, assessmentId, action);
    const id = versionId === LATEST ? assessment.latestVersionId : versionId;
    const version = id ? await this.loadVersion(assessmentId, id) : null;
    if (!version) throw notFound('版');
    return { assessment, version };
  }

  /** A version of an assessment, or null. Its document is shared and frozen: do not modify it. */
  async loadVersion(assessmentId: string, versionId: string): Promise<Version | null> {
    // The metadata only (the status changes); the document comes from the cache when it can.
    const info = await this.store.getVersionInfo(versionId);
    if (!info || info.assessmentId !== assessmentId) return null;
    const cached = this.documents.get(info.docHash);
    if (cached) return Object.assign({}, info, { doc: cached });
    const v = await this.store.getVersion(versionId);
    if (!v) return null;
    return Object.assign({}, info, { doc: this.documents.set(v.docHash, v.doc, v.size) });
  }

  async addVersion(
    p: Principal,
    assessmentId: string,
    loaded: LoadedDocument,
    opts: { ifMatch?: string; message?: string; status?: ReviewStatus },
  ): Promise<Version> {
    const assessment = await this.getAssessment(p, assessmentId, 'version.create');
    const doc = loaded.data as JsonObject;
    if (opts.status !== undefined && opts.status !== '下書き' && p.role !== 'admin') {
      throw forbidden(
        '手続の途中の状態で版を登録できるのは管理者 (admin) だけです (公表済みの評価書の取込みなど)。',
      );
    }
    // A document filed under the wrong organisation would be shown to the wrong people.
    const org = await this.store.getOrganisation(assessment.orgId);
    const declared = getAtPointer(doc, '/organization/id');
    if (org?.code && typeof declared === 'string' && declared.trim() !== '' && declared !== org.code) {
      const message = `評価書の機関ID「${declared}」がこの組織 (${org.name}、${org.code}) と一致しません。`;
      throw badRequest(message, [
        {
          code: 'api/organization-mismatch',
          severity: 'error',
          message,
          path: '/organization/id',
          source: loaded.source,
        },
      ]);
    }
    if (assessment.latestVersionId !== null && opts.ifMatch === undefined) {
      throw new HttpError(
        428,
        'precondition-required',
        '既に版があるため、If-Match ヘッダーに最新版の ETag を指定してください (上書きの取り違えを防ぐため)。',
        {
          details: { currentEtag: assessment.latestEtag },
        },
      );
    }
    return this.store.addVersion(assessmentId, doc, {
      author: actorOf(p),
      ...(opts.ifMatch !== undefined ? { ifMatch: opts.ifMatch } : {}),
      ...(opts.message ? { message: opts.message } : {}),
      ...(opts.status ? { status: opts.status } : {}),
    });
  }

  sourceOf(assessment: Assessment, version: VersionInfo): string {
    return `${assessment.title} 第${version.number}版`;
  }

  /** Validation of a stored version (memoised by document hash). */
  validateStored(assessment: Assessment, version: Version): ValidationResult {
    let diags = this.validations.get(version.docHash);
    if (!diags) {
      diags = this.engine.validateDocument(version.doc, { source: this.sourceOf(assessment, version) });
      this.validations.set(version.docHash, diags);
    }
    return this.validationResult(version.doc, diags);
  }

  private validationResult(doc: JsonObject | undefined, diagnostics: Diagnostic[]): ValidationResult {
    const f = doc ? this.engine.findForm(doc) : undefined;
    const summary = { error: 0, warning: 0, info: 0 };
    for (const d of diagnostics) if (!d.waived) summary[d.severity]++;
    return {
      form: f ? { key: f.key, form: f.form, formVersion: f.formVersion, formId: f.formId ?? null } : null,
      diagnostics,
      summary,
    };
  }

  async validation(p: Principal, assessmentId: string, versionId: string): Promise<ValidationResult> {
    const { assessment, version } = await this.getVersion(p, assessmentId, versionId, 'validate');
    return this.validateStored(assessment, version);
  }

  /** Validate a posted document without storing it. */
  validateLoaded(p: Principal, loaded: LoadedDocument): ValidationResult {
    authorize(p, 'validate');
    const data = loaded.data as JsonObject;
    const diags = [
      ...loaded.diagnostics,
      ...this.engine.validateDocument(data, { source: loaded.source, locate: loaded.locate }),
    ];
    return this.validationResult(data, diags);
  }

  threshold(
    p: Principal,
    input: { persons: number; handlers: number; incident?: boolean },
  ): { required: string[] } {
    authorize(p, 'threshold');
    return { required: [...this.engine.decideThreshold(input).required] };
  }

  // ───────────── diff, render, check ─────────────

  async changeLog(
    p: Principal,
    assessmentId: string,
    fromId: string,
    toId: string,
  ): Promise<{ from: VersionInfo; to: VersionInfo; result: ChangeLogResult }> {
    const { version: from } = await this.getVersion(p, assessmentId, fromId, 'diff');
    const { version: to } = await this.getVersion(p, assessmentId, toId, 'diff');
    if (!this.engine.changeLog)
      throw notImplemented('変更箇所の作成 (diff) はまだこのサーバーで使えません。');
    // The judgements recorded on a version are about its 変更箇所 against the version before it.
    const annotations = (await this.isPredecessor(from, to)) ? await this.annotationsOf(to) : undefined;
    const result = this.engine.changeLog(from.doc, to.doc, changeLogOptions(annotations));
    const { doc: _f, ...fromInfo } = from;
    const { doc: _t, ...toInfo } = to;
    return { from: fromInfo, to: toInfo, result };
  }

  async renderHtml(
    p: Principal,
    assessmentId: string,
    versionId: string,
    opts: { public: boolean },
  ): Promise<{ html: string; title: string; version: Version; assessment: Assessment }> {
    const { assessment, version } = await this.getVersion(p, assessmentId, versionId, 'render');
    if (!this.engine.renderHtml)
      throw notImplemented('印刷用の表示 (render) はまだこのサーバーで使えません。');
    const validation = this.validateStored(assessment, version);
    const doc = await this.withJudgedChangeLog(version);
    // The 公表用 edition is what the public reads: it carries no validation banner.
    const html = this.engine.renderHtml(doc, {
      public: opts.public,
      ...(opts.public ? {} : { diagnostics: validation.diagnostics }),
    });
    return { html, title: this.documentTitle(assessment, version), version, assessment };
  }

  documentTitle(assessment: Assessment, version: Version): string {
    const name = getAtPointer(version.doc, '/cover/name');
    return typeof name === 'string' && name.trim() ? name : assessment.title;
  }

  /**
   * Checks a live snapshot against a version and records the run (durably: CI relies on the record).
   * `assessment`: already looked up for this principal with 'check.run' (the route does, before the body).
   */
  async check(
    p: Principal,
    assessmentId: string,
    versionId: string,
    snapshot: LoadedDocument,
    opts: {
      lang?: 'ja' | 'en';
      meta?: JsonObject;
      assessment?: Assessment;
      /** The version, when the caller already resolved it (getVersion with check.run for `assessment`). */
      version?: Version;
      /**
       * The response body, made before the run is recorded: if it fails, the request fails with nothing
       * recorded (a 500 must leave no trace that looks like a delivered result).
       */
      format?: (diagnostics: Diagnostic[], source: string) => string;
    },
  ): Promise<{ diagnostics: Diagnostic[]; run: CheckRunInfo; source: string; body?: string }> {
    const { assessment, version } =
      opts.assessment && opts.version?.id === versionId && opts.version.assessmentId === assessmentId
        ? { assessment: opts.assessment, version: opts.version }
        : await this.getVersion(p, assessmentId, versionId, 'check.run', opts.assessment);
    const source = this.sourceOf(assessment, version);
    const { diagnostics } = this.runCheck(version, source, snapshot, opts.lang);
    const asOf =
      isObject(snapshot.data) && typeof snapshot.data.asOf === 'string' ? snapshot.data.asOf : null;
    const meta = { snapshot: snapshot.source, asOf, ...(opts.meta ?? {}) };
    const body = opts.format?.(diagnostics, source);
    // Returned, not awaited: this frame (and the parsed snapshot it holds, ~10× the body in objects) ends
    // here instead of living through the durable commit, so the snapshot dies young and is not promoted.
    return this.recordCheck(p, version, diagnostics, meta, source).then((r) =>
      body === undefined ? r : Object.assign(r, { body }),
    );
  }

  private async recordCheck(
    p: Principal,
    version: Version,
    diagnostics: Diagnostic[],
    meta: JsonObject,
    source: string,
  ): Promise<{ diagnostics: Diagnostic[]; run: CheckRunInfo; source: string }> {
    const run = await this.store.addCheckRun(version.id, { diagnostics, actor: actorOf(p), meta });
    const { diagnostics: _d, ...info } = run;
    return { diagnostics, run: info, source };
  }

  private runCheck(
    version: Version,
    source: string,
    snapshot: LoadedDocument,
    lang: 'ja' | 'en' | undefined,
  ): { diagnostics: Diagnostic[] } {
    const { prepareCheck, checkPrepared, checkSnapshot } = this.engine;
    if (prepareCheck && checkPrepared) {
      const prepared =
        this.preparedChecks.get(version.docHash) ??
        this.preparedChecks.set(version.docHash, prepareCheck(version.doc));
      return checkPrepared(prepared, snapshot, { lang, source });
    }
    if (!checkSnapshot) throw notImplemented('ライブ構成との照合 (check) はまだこのサーバーで使えません。');
    const loadedDoc: LoadedDocument = { source, data: version.doc, diagnostics: [], locate: () => undefined };
    return checkSnapshot(loadedDoc, snapshot, { lang });
  }

  async listCheckRuns(p: Principal, assessmentId: string, versionId: string): Promise<CheckRunInfo[]> {
    const { version } = await this.getVersion(p, assessmentId, versionId, 'check.read');
    return this.store.listCheckRuns(version.id);
  }

  async latestCheckRun(p: Principal, assessment: Assessment): Promise<CheckRun | null> {
    authorize(p, 'check.read');
    if (!canSeeOrg(p, assessment.orgId) || !assessment.latestVersionId) return null;
    return this.store.latestCheckRun(assessment.latestVersionId);
  }

  // ───────────── comments ─────────────

  async listComments(
    p: Principal,
    assessmentId: string,
    versionId: string,
    pointer?: string,
  ): Promise<Comment[]> {
    const { version } = await this.getVersion(p, assessmentId, versionId, 'comment.read');
    return this.store.listComments(version.id, pointer !== undefined ? { pointer } : {});
  }

  async addComment(
    p: Principal,
    assessmentId: string,
    versionId: string,
    input: { pointer: string; body: string },
  ): Promise<Comment> {
    const { version } = await this.getVersion(p, assessmentId, versionId, 'comment.write');
    if (
      input.pointer !== '' &&
      getAtPointer(version.doc, input.pointer) === undefined &&
      !this.pointerInForm(version.doc, input.pointer)
    ) {
      throw badRequest(`項目 ${input.pointer} はこの版にありません。`, [
        inputDiagnostic(`項目 ${input.pointer} はこの版にありません`, 'request', '/pointer'),
      ]);
    }
    return this.store.addComment(version.id, {
      pointer: input.pointer,
      body: input.body,
      author: actorOf(p),
    });
  }

  /** An empty item (未記載) has no value but is still a place a reviewer may comment on. */
  private pointerInForm(doc: JsonObject, pointer: string): boolean {
    const f = this.engine.findForm(doc);
    if (!f) return false;
    try {
      return this.engine.labelOf(f.key, pointer) !== '';
    } catch {
      return false;
    }
  }

  private async visibleComment(
    p: Principal,
    assessmentId: string,
    commentId: string,
    action: Action,
  ): Promise<Comment> {
    await this.getAssessment(p, assessmentId, action);
    const c = await this.store.getComment(commentId);
    if (!c || c.assessmentId !== assessmentId) throw notFound('コメント');
    return c;
  }

  async replyComment(p: Principal, assessmentId: string, commentId: string, body: string): Promise<Comment> {
    await this.visibleComment(p, assessmentId, commentId, 'comment.write');
    return this.store.replyComment(commentId, { body, author: actorOf(p) });
  }

  async resolveComment(
    p: Principal,
    assessmentId: string,
    commentId: string,
    resolved: boolean,
  ): Promise<Comment> {
    const c = await this.visibleComment(p, assessmentId, commentId, 'comment.resolve');
    return this.store.resolveComment(c.parentId ?? c.id, { actor: actorOf(p), resolved });
  }

  // ───────────── review status ─────────────

  private async transitionFacts(p: Principal, assessment: Assessment, version: Version) {
    const history = await this.store.listStatusHistory(version.id);
    const formInfo = this.engine.findForm(version.doc);
    return {
      formId: formInfo?.formId,
      orgType: orgTypeOf(version.doc),
      from: version.status,
      role: p.role,
      history,
      doc: version.doc,
      errors: this.validateStored(assessment, version).summary.error,
      now: this.now(),
      labelOf: (pointer: string) => (formInfo ? this.engine.labelOf(formInfo.key, pointer) : pointer),
    };
  }

  async status(p: Principal, assessmentId: string, versionId: string): Promise<StatusView> {
    const { assessment, version } = await this.getVersion(p, assessmentId, versionId, 'status.read');
    const facts = await this.transitionFacts(p, assessment, version);
    return {
      versionId: version.id,
      status: version.status,
      history: facts.history,
      transitions: listTransitions(facts),
    };
  }

  async transition(
    p: Principal,
    assessmentId: string,
    versionId: string,
    input: { to: string; note?: string; expectedFrom?: string },
  ): Promise<StatusTransition> {
    const { assessment, version } = await this.getVersion(p, assessmentId, versionId, 'status.transition');
    const to = REVIEW_STATUSES.find((s) => s === input.to);
    if (!to) {
      throw badRequest(`to は ${REVIEW_STATUSES.join(' / ')} のいずれかです。`, [
        inputDiagnostic(`状態「${input.to}」はありません`, 'request', '/to'),
      ]);
    }
    if (input.expectedFrom !== undefined && input.expectedFrom !== version.status) {
      throw conflict(
        `この版の状態は既に「${version.status}」に変わっています (画面の「${input.expectedFrom}」は古い情報です)。`,
      );
    }
    const facts = await this.transitionFacts(p, assessment, version);
    const verdict = evaluateTransition(Object.assign({}, facts, { to, note: input.note ?? null }));
    if (!verdict.ok) {
      if (verdict.status === 403) throw forbidden(verdict.message);
      if (verdict.status === 400)
        throw badRequest(verdict.message, [inputDiagnostic(verdict.message, 'request', '/note')]);
      throw conflict(verdict.message);
    }
    // Ending 意見聴取 early is lawful only with a 特段の理由; who relied on which reason, after how many days,
    // is what a 第三者点検 reviewer or an auditor asks, so it is a record of its own — written in the same
    // commit as the move (store: TransitionInput.record), never one without the other.
    const transition = await this.store.transitionStatus(version.id, {
      to,
      actor: actorOf(p),
      // Another transition between our check and this write is a 409 from the store, not a skipped step.
      expectedFrom: version.status,
      ...(input.note ? { note: input.note } : {}),
      ...(verdict.shortened
        ? {
            record: {
              action: 'procedure.public-comment-shortened',
              after: {
                from: version.status,
                to,
                reason: verdict.shortened.reason,
                elapsedDays: verdict.shortened.elapsedDays,
                minDays: verdict.shortened.minDays,
              },
            },
          }
        : {}),
    });
    return transition;
  }

  // ───────────── 変更箇所 judgements (the annotations file, recorded in the browser) ─────────────

  async listJudgements(p: Principal, assessmentId: string, versionId: string): Promise<ChangeJudgement[]> {
    const { version } = await this.getVersion(p, assessmentId, versionId, 'diff');
    return this.store.listChangeJudgements(version.id);
  }

  /** Records (or replaces) the judgement on one row of a version's 変更箇所. Officers and admins only. */
  async setJudgement(
    p: Principal,
    assessmentId: string,
    versionId: string,
    input: JudgementInput,
  ): Promise<ChangeJudgement> {
    const { version } = await this.getVersion(p, assessmentId, versionId, 'judgement.write');
    const clean = checkJudgement(input);
    return this.store.setChangeJudgement(version.id, Object.assign({}, clean, { actor: actorOf(p) }));
  }

  /** A version's judgements as the annotations object `pia diff --annotations` reads. */
  async annotationsOf(version: VersionInfo): Promise<Annotations | undefined> {
    const list = await this.store.listChangeJudgements(version.id);
    return list.length ? judgementsToAnnotations(list, `第${version.number}版の判断`) : undefined;
  }

  /** The version just before `version`, if any. */
  async predecessorOf(version: VersionInfo): Promise<VersionInfo | undefined> {
    const all = await this.store.listVersions(version.assessmentId);
    return all.filter((v) => v.number < version.number).pop();
  }

  private async isPredecessor(from: VersionInfo, to: VersionInfo): Promise<boolean> {
    return from.assessmentId === to.assessmentId && (await this.predecessorOf(to))?.id === from.id;
  }

  /**
   * The document as it prints: once judgements are recorded on a version, its (別添) 変更箇所 holds the rows
   * of its changes against the version before it, classified with those judgements — what `pia diff
   * --annotations --apply` writes (rows of the same 変更日 replaced, earlier revisions kept).
   */
  async withJudgedChangeLog(version: Version): Promise<JsonObject> {
    if (!this.engine.changeLog) return version.doc;
    const annotations = await this.annotationsOf(version);
    if (!annotations) return version.doc;
    const prevInfo = await this.predecessorOf(version);
    const prev = prevInfo ? await this.loadVersion(version.assessmentId, prevInfo.id) : null;
    if (!prev) return version.doc;
    let result: ChangeLogResult;
    try {
      // Same version, same bytes: the fallback 変更日 is the day the version was saved, not today.
      result = this.engine.changeLog(
        prev.doc,
        version.doc,
        Object.assign({}, changeLogOptions(annotations), {
          today: () => isoDayJst(version.createdAt),
        }),
      );
    } catch {
      return version.doc;
    }
    const rows = result.rows.map((r) => ({
      date: r.date,
      item: r.item,
      before: r.before,
      after: r.after,
      timing: r.timing,
      explanation: r.explanation,
    }));
    const dates = new Set(rows.map((r) => r.date));
    const existing = Array.isArray(version.doc.changeLog) ? version.doc.changeLog : [];
    const kept = existing.filter((r) => !(isObject(r) && typeof r.date === 'string' && dates.has(r.date)));
    return Object.assign({}, version.doc, { changeLog: [...kept, ...rows] });
  }

  // ───────────── audit ─────────────

  async listAudit(
    p: Principal,
    filter: { afterSeq?: number; limit?: number; target?: string },
  ): Promise<AuditEntry[]> {
    authorize(p, 'audit.read');
    const orgFilter = p.role === 'admin' ? {} : { orgId: p.orgId ?? '\u0000' };
    return this.store.listAudit({ ...orgFilter, ...filter });
  }

  async verifyAudit(p: Principal): Promise<AuditVerification> {
    authorize(p, 'audit.verify');
    return this.store.verifyAudit();
  }
}

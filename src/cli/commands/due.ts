// pia due <dir…|--server URL> [--as-of DATE] [--within 60d] [--format text|json|ics|md]: the statutory
// calendar for cron and CI. Exit 1 when anything is overdue, so a nightly job can alert.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  formatDueJson,
  formatDueMarkdown,
  formatDueText,
  historyFromDocuments,
  isIsoDate,
  jstDay,
  listDue,
  parseSpan,
  toIcs,
  type AssessmentHistory,
  type DueReport,
  type ReviewFacts,
} from '../../calendar/index.ts';
import { loadDocument } from '../../engine.ts';
import { InputError, UsageError } from '../../errors.ts';
import { REVIEW_RESULTS } from '../../store/types.ts';
import type { JsonObject } from '../../types.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia due <ディレクトリ|ファイル>… [オプション]
        pia due --server <URL> [オプション]

評価書ごとの期限 (見直し・5年経過前の再実施・意見聴取の期間・照合や見直しで必要になった再評価・
事務終了後の公表期間) を、期限を過ぎたものから順に示します。

ディレクトリ:
  assessment.yaml を含むディレクトリは 1 つの評価書です (previous.yaml があれば前の版、
  reviews.yaml があれば見直しの記録 {reviews: [{date, result, note}]} として読みます)。
  それ以外のディレクトリは、その直下の評価書のディレクトリをすべて読みます。
  YAML/JSON のファイルを直接指定すると、そのファイルだけの評価書として扱います。

オプション:
  --server <URL>     ファイルではなくサーバー (pia serve) の期限を読む。トークンは環境変数 PIA_TOKEN
                     (コマンドラインには書かない: ps やシェルの履歴に残るため)
  --as-of <日付>     基準日 (YYYY-MM-DD、既定: 今日・日本時間)
  --within <期間>    この期間内に期限が来るものだけ (例 60d、8w、3m)。期限超過と判定不能は常に表示
  --all              完了したものも表示する
  --format <形式>    text (既定) / json / ics / md
  -h, --help         この説明

状態: 期限超過 / 判定不能 (日付が未記載) / 期限間近 / 予定 / 完了。日付は和暦 (ISO を併記) で示します。

終了コード:
  0  期限超過なし
  1  期限超過あり
  2  ファイルを読めない、サーバーに接続できない、または引数の誤り
`;

const FORMATS = ['text', 'json', 'ics', 'md'] as const;

async function readDoc(path: string, cwd: string): Promise<JsonObject> {
  const loaded = await loadDocument(path, { cwd, source: relative(cwd, path) || path });
  const bad = loaded.diagnostics.find((d) => d.severity === 'error');
  if (!loaded.data || bad) {
    throw new InputError(`${loaded.source}: ${bad?.message ?? '読めません'}`, loaded.source);
  }
  return loaded.data;
}

async function readReviews(path: string, cwd: string): Promise<ReviewFacts[]> {
  const data = await readDoc(path, cwd);
  const list = data.reviews;
  if (!Array.isArray(list)) throw new InputError(`${relative(cwd, path)}: reviews: の一覧がありません`, path);
  return list.map((r, i) => {
    const o = (r && typeof r === 'object' && !Array.isArray(r) ? r : {}) as JsonObject;
    if (!isIsoDate(o.date) || !REVIEW_RESULTS.includes(o.result as never)) {
      throw new InputError(
        `${relative(cwd, path)}: reviews[${i}] には date (YYYY-MM-DD) と result (${REVIEW_RESULTS.join(' / ')}) が必要です`,
        path,
      );
    }
    return {
      date: o.date,
      result: o.result as ReviewFacts['result'],
      note: typeof o.note === 'string' ? o.note : null,
    };
  });
}

async function historyOfDir(dir: string, cwd: string): Promise<AssessmentHistory> {
  const docs: { doc: JsonObject }[] = [];
  for (const f of ['previous.yaml', 'assessment.yaml']) {
    if (existsSync(join(dir, f))) docs.push({ doc: await readDoc(join(dir, f), cwd) });
  }
  const reviewsFile = join(dir, 'reviews.yaml');
  const reviews = existsSync(reviewsFile) ? await readReviews(reviewsFile, cwd) : [];
  return historyFromDocuments({ id: relative(cwd, dir) || '.', docs, reviews });
}

/** The histories named by the arguments, in a stable order. */
export async function historiesFromPaths(
  paths: readonly string[],
  cwd: string,
): Promise<AssessmentHistory[]> {
  const out: AssessmentHistory[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (!existsSync(abs)) throw new InputError(`${p}: ありません`, p);
    if (statSync(abs).isFile()) {
      out.push(historyFromDocuments({ id: relative(cwd, abs), docs: [{ doc: await readDoc(abs, cwd) }] }));
    } else if (existsSync(join(abs, 'assessment.yaml'))) {
      out.push(await historyOfDir(abs, cwd));
    } else {
      const dirs = readdirSync(abs)
        .sort()
        .map((n) => join(abs, n))
        .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'assessment.yaml')));
      if (dirs.length === 0) throw new InputError(`${p}: assessment.yaml を含むディレクトリがありません`, p);
      for (const d of dirs) out.push(await historyOfDir(d, cwd));
    }
  }
  return out;
}

async function fromServer(
  server: string,
  io: CliIo,
  q: { asOf: string; within?: string; all: boolean },
): Promise<DueReport> {
  const token = io.env.PIA_TOKEN;
  if (!token) throw new UsageError('--server には環境変数 PIA_TOKEN にトークンを設定してください');
  let url: URL;
  try {
    url = new URL('/api/calendar', server);
  } catch {
    throw new UsageError(`--server の URL が正しくありません: ${server}`);
  }
  url.searchParams.set('asOf', q.asOf);
  if (q.within) url.searchParams.set('within', q.within);
  if (q.all) url.searchParams.set('completed', '1');
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  } catch (e) {
    throw new InputError(`サーバーに接続できません (${url.origin}): ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: show the start of the body
    }
    throw new InputError(`サーバーがエラーを返しました (${res.status}): ${message}`);
  }
  return JSON.parse(text) as DueReport;
}

export const dueCommand: Command = {
  name: 'due',
  summary: '評価書の期限 (見直し・5年経過前の再実施・意見聴取・再評価) を一覧する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        server: { type: 'string' },
        'as-of': { type: 'string' },
        within: { type: 'string' },
        all: { type: 'boolean' },
        format: { type: 'string' },
      },
      true,
    );
    const format = enumOption(values.format, 'format', FORMATS, 'text');
    const asOf = (values['as-of'] as string | undefined) ?? (jstDay(new Date()) as string);
    if (!isIsoDate(asOf))
      throw new UsageError(`--as-of には YYYY-MM-DD の実在する日付を指定してください (「${asOf}」)`);
    const withinText = values.within as string | undefined;
    const withinDays = withinText === undefined ? undefined : parseSpan(withinText);
    if (withinText !== undefined && withinDays === undefined)
      throw new UsageError(`--within には期間 (例 60d、8w、3m) を指定してください (「${withinText}」)`);
    const server = values.server as string | undefined;
    if (server && positionals.length) throw new UsageError('--server とディレクトリは同時に指定できません');
    if (!server && positionals.length === 0)
      throw new UsageError('評価書のディレクトリ (または --server) を指定してください');

    const report = server
      ? await fromServer(server, io, {
          asOf,
          ...(withinText ? { within: withinText } : {}),
          all: values.all === true,
        })
      : listDue(await historiesFromPaths(positionals, io.cwd), {
          asOf,
          ...(withinDays !== undefined ? { withinDays } : {}),
          includeCompleted: values.all === true,
        });

    io.stdout.write(
      format === 'json'
        ? formatDueJson(report)
        : format === 'md'
          ? formatDueMarkdown(report)
          : format === 'ics'
            ? toIcs(report.obligations, { name: '特定個人情報保護評価の期限' })
            : formatDueText(report),
    );
    return report.obligations.some((o) => o.state === '期限超過') ? 1 : 0;
  },
};

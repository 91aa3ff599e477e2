// pia check <assessment> --live <snapshot>: the live configuration against what the 評価書 declares.
import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.ts';
import { checkFiles, describeCheckRules, toSarifView, type CheckSummary } from '../../check/index.ts';
import { atLeast, formatDiagnostics, type ReportFormat } from '../../report/index.ts';
import { LANGS, pick, type Lang } from '../../schema/lang.ts';
import type { Severity } from '../../types.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const FORMATS = ['text', 'json', 'junit', 'sarif', 'md', 'markdown'] as const;

const HELP = `使い方: pia check <評価書> --live <ライブ構成> [オプション]
       pia check <ディレクトリ|評価書>… [--live-dir <ディレクトリ>] [オプション]
       pia check --manifest <ファイル> [オプション]

稼働中のシステムの構成 (ライブ構成のスナップショット、YAML または JSON) を評価書の記載と照合し、
食い違いごとに法的な帰結を示します:
  重要な変更  ※の項目に当たる: この構成で稼働させる前に評価を再実施する
  修正        評価書を速やかに修正する
  違反        評価書に記載した措置にシステムが反している: システムを直す
  要再評価    しきい値判断の結果、より上位の評価が必要になった

オプション:
  --live <ファイル>     ライブ構成 (schemas/live-snapshot.schema.json) [--plan がなければ必須]
  --plan <ファイル>     Terraform の計画 (terraform show -json tfplan)。適用後の構成として照合し、指摘に
                        リソースアドレスを付ける (--live と併用すると現在の構成に計画を重ねる)
  --map <ファイル>      --plan のマッピングファイル (タグ pia:system のないリソースとシステムの対応)
  --waivers <ファイル>  例外承認の一覧 (規則・項目・理由・承認者・有効期限)
  --format <形式>       text (既定) / json / junit / sarif / md
  --fail-on <重大度>    error (既定) / warning / info — 終了コード 1 にする重大度の下限
  -o, --output <ファイル>  結果をファイルに書く (標準出力には要約のみ)
  --lang <言語>         ja (既定) / en
  --live-dir <ディレクトリ>  複数の評価書のライブ構成を <名前>.json (.yaml) で探す (<名前> は評価書の
                        ディレクトリ名)。指定しなければ評価書と同じディレクトリの live.json / live.yaml
  --manifest <ファイル>  評価書とライブ構成の対応表 (documents: [{assessment, live, waivers, name}])
  -h, --help            この説明

複数の評価書 (ディレクトリ、2 つ以上の評価書、--live-dir または --manifest) は 1 回の実行でまとめて
照合し、評価書ごとの節と合計を 1 つの報告にします (同じディレクトリの waivers.yaml は例外承認として読む)。
終了コードは 読めない評価書が 1 件でもあれば 2、なければ --fail-on 以上の指摘があれば 1、なければ 0。

期限・経過日数はライブ構成の asOf (取得日時) の時点で判定します。例外承認された指摘は「免除」として
表示・集計されますが、終了コードには数えません。期限切れの例外承認は指摘に戻ります。

終了コード:
  0  --fail-on 以上の指摘なし
  1  --fail-on 以上の指摘あり (ライブ構成がスキーマに合わない場合を含む)
  2  ファイルを読めない、別の機関のライブ構成、使えない例外承認ファイル、または引数の誤り
`;

/** 「帰結: 重要な変更 1 件、違反 3 件 / 免除 1 件」: what the law makes of the run, for the text report. */
export function consequenceLine(s: CheckSummary, lang: Lang): string {
  const order = ['要再評価', '重要な変更', '修正', '違反', '情報'] as const;
  const parts = order.filter((c) => s.consequences[c]).map((c) => `${c} ${s.consequences[c]} 件`);
  const waived = s.waived ? pick(lang, ` / 免除 ${s.waived} 件`, ` / ${s.waived} waived`) : '';
  if (parts.length === 0) return pick(lang, `帰結: なし${waived}`, `Consequences: none${waived}`);
  return pick(lang, `帰結: ${parts.join('、')}${waived}`, `Consequences: ${parts.join(', ')}${waived}`);
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'ライブ構成を評価書の記載と照合する (重要な変更・修正・違反)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        live: { type: 'string' },
        waivers: { type: 'string' },
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        output: { type: 'string', short: 'o' },
        lang: { type: 'string' },
        plan: { type: 'string' },
        map: { type: 'string' },
        'live-dir': { type: 'string' },
        manifest: { type: 'string' },
      },
      true,
    );
    const format = enumOption(values.format, 'format', FORMATS, 'text');
    const lang = enumOption(values.lang, 'lang', LANGS, 'ja');
    const failOn = enumOption<Severity>(values['fail-on'], 'fail-on', ['error', 'warning', 'info'], 'error');
    const liveDir =
      typeof values['live-dir'] === 'string' && values['live-dir'] ? values['live-dir'] : undefined;
    const manifest = typeof values.manifest === 'string' && values.manifest ? values.manifest : undefined;
    if (positionals.length === 0 && !manifest)
      throw new UsageError(
        '評価書を指定してください (例: pia check assessments/foo/assessment.yaml --live live.yaml)',
      );
    // Several 評価書 in one run (check/batch.ts): a directory, more than one path, --live-dir or --manifest.
    if (manifest || liveDir || positionals.length > 1 || isDirectory(resolve(io.cwd, positionals[0]))) {
      if (values.live || values.plan || values.map)
        throw new UsageError(
          '複数の評価書を照合するときは --live・--plan・--map は使えません (--live-dir、評価書と同じディレクトリの live.json、または --manifest で対応付けます)',
        );
      const { runBatchCheck } = await import('../../check/batch-command.ts');
      return runBatchCheck(
        {
          paths: positionals,
          ...(liveDir ? { liveDir } : {}),
          ...(manifest ? { manifest } : {}),
          ...(typeof values.waivers === 'string' && values.waivers ? { waivers: values.waivers } : {}),
          format: format === 'md' ? 'markdown' : format,
          failOn,
          lang,
          ...(typeof values.output === 'string' ? { output: values.output } : {}),
        },
        io,
      );
    }
    const live = values.live;
    // --plan: the Terraform plan is the (future) live state; its logic lives in collect/plan-gate.ts.
    const plan = typeof values.plan === 'string' && values.plan !== '' ? values.plan : undefined;
    if ((typeof live !== 'string' || live === '') && !plan)
      throw new UsageError(
        '--live にライブ構成のファイル (または --plan に terraform show -json の計画) を指定してください',
      );
    const waivers = typeof values.waivers === 'string' ? values.waivers : undefined;

    const result = plan
      ? await (
          await import('../../collect/plan-gate.ts')
        ).checkPlanFiles({
          assessment: positionals[0],
          plan,
          ...(typeof live === 'string' && live ? { live } : {}),
          ...(waivers ? { waivers } : {}),
          ...(typeof values.map === 'string' ? { map: values.map } : {}),
          lang,
          cwd: io.cwd,
        })
      : await checkFiles({
          assessment: positionals[0],
          snapshot: live as string,
          ...(waivers ? { waivers } : {}),
          lang,
          cwd: io.cwd,
        });
    // The snapshot is not listed as a file of its own: drift findings are reported on the 評価書 item (with the
    // snapshot line as a related location), so 「live.yaml: 問題はありません」 would be misleading.
    // When nothing could be compared, listing the 評価書 as 「問題はありません」 would mislead.
    const files = result.compared ? [positionals[0], ...(waivers ? [waivers] : [])] : undefined;
    const reportFormat: ReportFormat = format === 'md' ? 'markdown' : format;
    // Code scanning annotates the file under review: the snapshot (see check/sarif-view.ts).
    const diags = reportFormat === 'sarif' ? toSarifView(result.diagnostics) : result.diagnostics;
    let out = formatDiagnostics(reportFormat, diags, {
      lang,
      ...(files ? { files } : {}),
      failOn,
      rules: describeCheckRules(),
    });
    const footer = result.compared
      ? consequenceLine(result.summary, lang)
      : pick(
          lang,
          '照合していません: 入力の誤りを直してから再実行してください',
          'Nothing was compared: fix the input and run again',
        );
    // 「自動確認なし」: measures with no control, so a clean run is not read as "everything was checked".
    // Text and Markdown: a section after a compared run; JSON and SARIF: always (a stable shape), as a list
    // beside the findings — never a finding, so the exit code does not change.
    if (
      reportFormat !== 'junit' &&
      (result.compared || reportFormat === 'json' || reportFormat === 'sarif')
    ) {
      const unchecked = await import('../../collect/unchecked.ts');
      const list = await unchecked.loadUncheckedMeasures(positionals[0], lang, io.cwd);
      if (reportFormat === 'json') out = unchecked.withUncheckedJson(out, list);
      else if (reportFormat === 'sarif')
        // Located as formatDiagnostics located the results (relative to the process's directory).
        out = unchecked.withUncheckedSarif(out, list, positionals[0], { lang });
      else out += unchecked.formatUncheckedMeasures(list, positionals[0], reportFormat, lang);
    }
    if (reportFormat === 'text') out += footer + '\n';
    else if (reportFormat === 'markdown') out += `\n${footer}\n`;

    if (typeof values.output === 'string') {
      try {
        writeFileSync(resolve(io.cwd, values.output), out);
      } catch (e) {
        throw new UsageError(
          `出力ファイルに書き込めません (${(e as NodeJS.ErrnoException).code ?? 'エラー'}): ${values.output}`,
        );
      }
      const s = result.summary;
      io.stderr.write(
        pick(
          lang,
          `pia check: エラー ${s.error} 件、警告 ${s.warning} 件、情報 ${s.info} 件。${footer} → ${values.output}\n`,
          `pia check: ${s.error} errors, ${s.warning} warnings, ${s.info} info. ${footer} → ${values.output}\n`,
        ),
      );
    } else io.stdout.write(out);
    return result.diagnostics.some((d) => !d.waived && atLeast(d.severity, failOn)) ? 1 : 0;
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

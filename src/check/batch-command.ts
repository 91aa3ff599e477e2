// The multi-document form of `pia check` (cli/commands/check.ts hands over when it is given a directory,
// several 評価書, --live-dir or --manifest). Pairing and the report are in batch.ts.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { ReportFormat } from '../report/index.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { Severity } from '../types.ts';
import type { CliIo } from '../cli/io.ts';
import { listUncheckedMeasures, type UncheckedMeasure } from '../collect/unchecked.ts';
import {
  checkJob,
  exitCodeOf,
  formatCheckBatch,
  pairDocuments,
  totalLine,
  totalOf,
  type DocumentCheck,
} from './batch.ts';

export interface BatchCommandOptions {
  paths: readonly string[];
  liveDir?: string;
  manifest?: string;
  waivers?: string;
  format: ReportFormat;
  failOn: Severity;
  lang: Lang;
  output?: string;
}

/** Run the batch, print (or write) its report; returns the exit code (batch.ts exitCodeOf). */
export async function runBatchCheck(opts: BatchCommandOptions, io: CliIo): Promise<number> {
  const { lang, format } = opts;
  const jobs = await pairDocuments(
    opts.paths,
    {
      cwd: io.cwd,
      ...(opts.liveDir ? { liveDir: opts.liveDir } : {}),
      ...(opts.manifest ? { manifest: opts.manifest } : {}),
      ...(opts.waivers ? { waivers: opts.waivers } : {}),
    },
    lang,
  );
  if (jobs.length === 0)
    throw new UsageError(pick(lang, '照合する評価書がありません', 'No documents to check'));
  const documents: DocumentCheck[] = [];
  // 「自動確認なし」 of every 評価書 read, from the document already loaded (JUnit has no place for it).
  const unchecked = new Map<string, UncheckedMeasure[]>();
  for (const job of jobs) {
    const d = await checkJob(job, { cwd: io.cwd, lang, failOn: opts.failOn });
    if (format !== 'junit' && d.assessment?.data)
      unchecked.set(job.assessment, listUncheckedMeasures(d.assessment));
    delete d.assessment;
    documents.push(d);
  }
  const batch = { documents, total: totalOf(documents), exitCode: exitCodeOf(documents) };
  const out = formatCheckBatch(format, batch, { lang, failOn: opts.failOn, cwd: io.cwd, unchecked });
  if (opts.output) {
    try {
      writeFileSync(resolve(io.cwd, opts.output), out);
    } catch (e) {
      throw new UsageError(
        `出力ファイルに書き込めません (${(e as NodeJS.ErrnoException).code ?? 'エラー'}): ${opts.output}`,
      );
    }
    io.stderr.write(`pia check: ${totalLine(batch.total, lang)} → ${opts.output}\n`);
  } else io.stdout.write(out);
  return batch.exitCode;
}

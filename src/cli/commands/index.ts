// The command list. Each command is imported only when it runs, so `pia validate` never loads the PDF or
// server stacks. Add a command: one file in this directory, one entry here.
import type { Command } from '../command.ts';

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  check: { summary: 'ライブ構成を評価書の記載と照合する (重要な変更・修正・違反)', load: async () => (await import('./check.ts')).checkCommand },
  collect: { summary: 'ライブ構成を Terraform・PostgreSQL・アカウント出力から集める (出典つき)', load: async () => (await import('./collect.ts')).collectCommand },
  validate: {
    summary: '評価書 (YAML/JSON) を様式・記載ルールに照らして検証する',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  init: {
    summary: '空の評価書 (全項目・ラベル・選択肢つき) を出力する',
    load: async () => (await import('./init.ts')).initCommand,
  },
  render: {
    summary: '評価書を公式様式のレイアウトで PDF / HTML に出力する',
    load: async () => (await import('./render.ts')).renderCommand,
  },
  threshold: {
    summary: 'しきい値判断: 対象人数・取扱者数・重大事故から義務付けられる評価を示す',
    load: async () => (await import('./threshold.ts')).thresholdCommand,
  },
  diff: { summary: '2つの版を比べて変更箇所の表を作り、重要な変更かどうかを分類する', load: async () => (await import('./diff.ts')).diffCommand },
  serve: { summary: 'API と画面のサーバーを起動する (既定では同梱サンプル入り)', load: async () => (await import('./serve.ts')).serveCommand },
  token: { summary: 'API・画面のトークンを発行・一覧・失効する', load: async () => (await import('./token.ts')).tokenCommand },
  audit: { summary: '監査ログのハッシュ連鎖を検証する', load: async () => (await import('./audit.ts')).auditCommand },
  db: { summary: 'PostgreSQL のストアのスキーマを作成・更新する (マイグレーション)', load: async () => (await import('./db.ts')).dbCommand },
  import: { summary: '公表済みの評価書 (PDF・抽出テキスト) を取り込み、評価書 (YAML/JSON) にする', load: async () => (await import('./import.ts')).importCommand },
  portfolio: { summary: 'ディレクトリの評価書をまとめて 検証・照合・PDF 出力・期限の一覧 し、一覧ページを作る', load: async () => (await import('./portfolio.ts')).portfolioCommand },
  due: { summary: '評価書の期限 (見直し・5年経過前の再実施・意見聴取・再評価) を一覧する', load: async () => (await import('./due.ts')).dueCommand },
  worker: { summary: 'PostgreSQL の待ち行列から PDF を作成する (pia serve --db postgres://… と組み合わせる)', load: async () => (await import('./worker.ts')).workerCommand },
};

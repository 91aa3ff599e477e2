// pia threshold --persons N --handlers M [--incident]: the しきい値判断 table as a command.
import { UsageError } from '../../errors.ts';
import { LANGS, pick, type Lang } from '../../schema/lang.ts';
import { decideThreshold, explainThreshold } from '../../threshold/index.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia threshold --persons <対象人数> --handlers <取扱者数> [--incident] [オプション]

しきい値判断 (特定個人情報保護評価指針 第5の2) の結果、義務付けられる評価を示します。

オプション:
  --persons <数>   対象人数 (事務が取り扱う本人の数)。0 以上の整数 (1,000 のようなカンマ可)
  --handlers <数>  取扱者数 (委託先の従業者を含む)。0 以上の整数
  --incident       過去1年以内に特定個人情報に関する重大事故が発生した
  --format <形式>  text (既定) / json — json は {"required":["基礎項目評価",…]} (義務がなければ [])
  --lang <言語>    ja (既定) / en
  -h, --help       この説明

判定表 (対象人数 → 取扱者数500人以上または重大事故あり / それ以外):
  1,000人未満            → 義務なし / 義務なし
  1,000人以上1万人未満   → 基礎 / 基礎
  1万人以上10万人未満    → 基礎+重点 / 基礎   (この行は一次資料で未確認)
  10万人以上30万人未満   → 基礎+全項目 / 基礎+重点
  30万人以上             → 基礎+全項目 / 基礎+全項目

終了コード: 0 判定できた / 2 引数の誤り
`;

/** 「1,000」「１０００」「1000」 → 1000; anything else (負の数、小数、文字) is a UsageError. */
export function parseCount(raw: unknown, option: string, what: string, lang: Lang): number {
  if (raw === undefined) {
    throw new UsageError(pick(lang, `--${option} (${what}) を指定してください`, `--${option} is required`));
  }
  const s = String(raw).normalize('NFKC').trim();
  if (!/^(\d+|\d{1,3}(,\d{3})+)$/.test(s)) {
    throw new UsageError(
      pick(
        lang,
        `--${option} (${what}) には 0 以上の整数を指定してください (「${String(raw)}」が指定されました)`,
        `--${option} must be a non-negative integer (got "${String(raw)}")`,
      ),
    );
  }
  const n = Number(s.replace(/,/g, ''));
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(pick(lang, `--${option} (${what}) が大きすぎます`, `--${option} is too large`));
  }
  return n;
}

export const thresholdCommand: Command = {
  name: 'threshold',
  summary: 'しきい値判断: 対象人数・取扱者数・重大事故から義務付けられる評価を示す',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(
      args,
      {
        persons: { type: 'string' },
        handlers: { type: 'string' },
        incident: { type: 'boolean' },
        format: { type: 'string' },
        lang: { type: 'string' },
      },
      false,
    );
    const lang = enumOption(values.lang, 'lang', LANGS, 'ja');
    const format = enumOption(values.format, 'format', ['text', 'json'] as const, 'text');
    const input = {
      persons: parseCount(values.persons, 'persons', pick(lang, '対象人数', 'persons'), lang),
      handlers: parseCount(values.handlers, 'handlers', pick(lang, '取扱者数', 'handlers'), lang),
      incident: values.incident === true,
    };
    const decision = decideThreshold(input, lang);
    io.stdout.write(
      format === 'json'
        ? JSON.stringify({ required: decision.required }) + '\n'
        : explainThreshold(input, decision, lang),
    );
    return 0;
  },
};

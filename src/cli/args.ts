// node:util parseArgs with Japanese errors (UsageError → exit 2) and a check of enumerated values.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { suggestNearest } from '../schema/suggest.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(args: string[], options: Options, allowPositionals: boolean): Parsed {
  try {
    const r = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    throw translateParseError(e, options);
  }
}

function translateParseError(e: unknown, options: Options): Error {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? '';
  const opt = /'(-{1,2}[^' <]+)/.exec(msg)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = suggestNearest(opt.replace(/^-+/, ''), Object.keys(options));
      return new UsageError(`不明なオプションです: ${opt}${guess ? ` (--${guess} のことですか?)` : ''}`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /argument '([^']*)'/.exec(msg)?.[1] ?? '';
      return new UsageError(`余分な引数があります: ${arg}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/ambiguous/.test(msg)) {
        return new UsageError(
          `${opt} の値がありません (負の数は指定できません。「-」で始まる値を渡すときは ${opt}=値 と書きます)`,
        );
      }
      if (/does not take an argument/.test(msg)) return new UsageError(`${opt} には値を指定できません`);
      return new UsageError(`${opt} に値を指定してください`);
    default:
      return new UsageError(`引数を解釈できません: ${msg}`);
  }
}

/** A string option restricted to `allowed` (first one is the default). */
export function enumOption<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `--${name} には ${allowed.join(' / ')} のいずれかを指定してください (「${String(value)}」が指定されました)`,
  );
}

// `pia` entry: dispatches to a command, owns exit codes (0 clean, 1 findings, 2 unusable input or
// arguments) and guarantees that no stack trace reaches a user (only with PIA_DEBUG=1).
import { isUserError } from '../errors.ts';
import { suggestNearest } from '../schema/suggest.ts';
import { COMMANDS } from './commands/index.ts';
import { defaultIo, type CliIo } from './io.ts';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'pia — 特定個人情報保護評価書のコンプライアンス・エンジン',
    '',
    '使い方: pia <コマンド> [オプション…]',
    '',
    'コマンド:',
    ...lines,
    '',
    '各コマンドの説明: pia <コマンド> --help',
    '終了コード: 0 問題なし / 1 指摘あり (--fail-on 以上) / 2 入力を読めない・引数の誤り',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], ioIn: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...defaultIo(), ...ioIn };
  const debug = io.env.PIA_DEBUG === '1';
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.stderr.write(generalHelp());
      return EXIT_USAGE;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(generalHelp());
      return EXIT_OK;
    }
    const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) {
      const guess = suggestNearest(name, Object.keys(COMMANDS));
      io.stderr.write(
        `pia: 不明なコマンドです: ${name}${guess ? ` (${guess} のことですか?)` : ''}\n一覧: pia --help\n`,
      );
      return EXIT_USAGE;
    }
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.help);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (isUserError(e)) {
      const source = (e as { source?: string }).source;
      io.stderr.write(`pia: ${source ? `${source}: ` : ''}${e.message}\n`);
    } else {
      const message = e instanceof Error ? e.message : String(e);
      io.stderr.write(`pia: 内部エラー: ${message.split('\n')[0]}\n`);
      if (debug && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
      else io.stderr.write('(詳細は環境変数 PIA_DEBUG=1 を付けて再実行すると表示されます)\n');
    }
    return EXIT_USAGE;
  }
}

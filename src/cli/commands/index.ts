// The command list. Each command is imported only when it runs, so `pia validate` never loads the PDF or
// server stacks. Add a command: one file in this directory, one entry here.
import type { Command } from '../command.ts';

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  validate: {
    summary: '評価書 (YAML/JSON) を様式・記載ルールに照らして検証する',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  threshold: {
    summary: 'しきい値判断: 対象人数・取扱者数・重大事故から義務付けられる評価を示す',
    load: async () => (await import('./threshold.ts')).thresholdCommand,
  },
};

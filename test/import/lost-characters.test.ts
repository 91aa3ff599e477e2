// A character the extraction lost in a label is looked for in the values: listed as uncertain, never repaired.
import { describe, expect, it } from 'vitest';
import { lostCharacter, noteLostCharacters } from '../../src/import/lost-characters.ts';

describe('lost characters', () => {
  it('finds the one character a printed label lacks, and nothing else', () => {
    expect(lostCharacter('リスク4: 入手の際に特定個人情報漏えい・紛失するリスク', 'リスク4: 入手の際に特定個人情報が漏えい・紛失するリスク')).toBe('が');
    // Width and spaces are not a loss.
    expect(lostCharacter('リスク4:入手の際に 特定個人情報が漏えい・紛失するリスク', 'リスク4: 入手の際に特定個人情報が漏えい・紛失するリスク')).toBeUndefined();
    // Two characters, or a changed one: not this case.
    expect(lostCharacter('入手の際に特定個人情報漏い', '入手の際に特定個人情報が漏えい')).toBeUndefined();
    expect(lostCharacter('特定個人情報を漏えい', '特定個人情報が漏えい')).toBeUndefined();
    // A lost bracket or digit says nothing about prose.
    expect(lostCharacter('リスク4 入手', 'リスク4: 入手')).toBeUndefined();
  });

  it('lists every value with the form wording minus that character, at its own pointer; values untouched', () => {
    const titles = ['リスク4: 入手の際に特定個人情報が漏えい・紛失するリスク', '③使用の制限が必要な理由'];
    const read = [
      { pointer: '/a', value: '特定個人情報漏えいを防ぐ。' },
      { pointer: '/b', value: { heading: 'x', parts: ['問題なし', '…ことで、特定個人情報漏えい・紛失するリスクを軽減'] } },
      { pointer: '/c', value: '特定個人情報が漏えいしないよう' },
    ];
    const before = JSON.stringify(read);
    const notes = noteLostCharacters(new Map([['が', '入手の際に特定個人情報漏えい']]), titles, read);
    expect(notes.map((n) => n.pointer)).toEqual(['/a', '/b/parts/1']);
    expect(notes.every((n) => n.kind === 'uncertain')).toBe(true);
    expect(notes[0].message).toContain('「個人情報漏え」は様式の文言「個人情報が漏え」の「が」が抽出で失われた可能性があります');
    expect(JSON.stringify(read)).toBe(before);
    // No evidence in the labels: nothing listed.
    expect(noteLostCharacters(new Map(), titles, read)).toEqual([]);
  });
});

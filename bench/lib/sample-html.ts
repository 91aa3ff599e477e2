// A synthetic, table-heavy Japanese document used when no real rendered 評価書 is at hand. It mimics the
// shape of the real output (headings for the outline, long bordered tables, mixed Gothic/bold text) so
// that the benchmark exercises layout, font subsetting and tagging like a real document does.

const ITEMS = [
  '特定個人情報ファイルの名称',
  '対象となる本人の範囲',
  '主な記録項目',
  '特定個人情報の入手元',
  '使用目的',
  '委託の有無',
  '保管場所',
  '消去方法',
] as const;

const ANSWERS = [
  '住民基本台帳に記録された住民のうち、予防接種法に基づく定期接種の対象者（令和4年7月7日時点）',
  '[○] 識別情報　[○] 連絡先等情報　[ ] 業務関係情報　①② 4情報（氏名、性別、生年月日、住所）',
  '本人又は本人の代理人から、窓口にて申請書により入手する。𠮷田市との事務委託分を含む。',
  '庁内連携システムを経由して既存住民基本台帳システムから入手し、宛名システム等で突合する。',
  'サーバ室は入退室管理を行い、ＩＣカード及び生体認証により権限のない者の立入りを制限している。',
] as const;

/** Returns an HTML document of roughly `pages` A4 pages (≈ 1 section of 2 tables per page). */
export function generateSampleHtml(pages = 30, title = '〇〇市 予防接種に関する事務 全項目評価書'): string {
  const sections: string[] = [];
  for (let s = 1; s <= pages; s++) {
    const rows: string[] = [];
    for (let r = 0; r < 9; r++) {
      const item = ITEMS[(s + r) % ITEMS.length];
      const answer = ANSWERS[(s * 7 + r) % ANSWERS.length];
      rows.push(
        `<tr><th>${r + 1}. ${item}</th><td>${answer}</td><td class="c">${r % 3 === 0 ? '<b>十分である</b>' : '特に力を入れている'}</td></tr>`,
      );
    }
    sections.push(
      `<section><h2>${s}. 特定個人情報ファイルの概要（その${s}）</h2>` +
        `<h3>${s}-1 リスク対策</h3><table><thead><tr><th>項目</th><th>記載内容</th><th>評価</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
        `<h3>${s}-2 委託事項</h3><table><tbody>${rows.slice(0, 5).join('')}</tbody></table></section>`,
    );
  }
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>${title}</title>
<style>
  body { font-family: "BIZ UDGothic", "BIZ UDMincho", "Noto Sans CJK JP", sans-serif; font-size: 9.5pt; line-height: 1.5; }
  h1 { font-size: 16pt; } h2 { font-size: 12pt; break-before: page; } h3 { font-size: 10.5pt; margin: 6pt 0; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 6pt; }
  th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; }
  th { background: #eee; width: 28%; text-align: left; font-weight: bold; }
  td.c { width: 16%; text-align: center; }
</style></head>
<body><h1>${title}</h1>${sections.join('\n')}</body></html>`;
}

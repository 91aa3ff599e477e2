#!/usr/bin/env bash
# The README's main job on the bundled samples: each command once, then the server with the samples
# loaded (Ctrl+C to stop). Findings are shown, not fatal: the real seeds have gaps by design.
set -uo pipefail
cd "$(dirname "$0")/.."
pia() { node bin/pia.js "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
mkdir -p out

step "しきい値判断: 対象人数 150,000 人、取扱者数 320 人、重大事故なし"
pia threshold --persons 150000 --handlers 320

step "評価書の検証 (架空市のサンプルはエラーなし、実在の 2 件は元資料の欠落を報告)"
for f in assessments/*/assessment.yaml; do
  pia validate "$f" >/dev/null 2>&1; rc=$?
  printf '%-55s 終了コード %s\n' "$f" "$rc"
done
pia validate assessments/hofu-covid-vaccination/assessment.yaml

step "PDF 出力 (公式様式のレイアウト) → out/"
pia render assessments --out-dir out

step "変更箇所: 防府市 令和4年7月7日の変更 (12 行) と、必要な手続"
pia diff assessments/hofu-covid-vaccination/previous.yaml assessments/hofu-covid-vaccination/assessment.yaml \
  --annotations assessments/hofu-covid-vaccination/annotations.yaml --format md -o out/hofu-changes.md
head -n 20 out/hofu-changes.md

step "ライブ構成の照合: 評価書どおりの構成 (終了コード 0) と、食い違いのある構成 (終了コード 1)"
pia check assessments/kakuu-city-juki/assessment.yaml --live assessments/kakuu-city-juki/live.yaml; echo "終了コード $?"
pia check assessments/kakuu-city-juki/assessment.yaml --live assessments/kakuu-city-juki/live-drifted.yaml; echo "終了コード $?"

if [ "${PIA_DEMO_NO_SERVE:-}" = "1" ]; then exit 0; fi
step "サーバー: 同梱サンプル入りで起動します (Ctrl+C で停止)"
exec node bin/pia.js serve

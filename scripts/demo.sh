#!/usr/bin/env bash
# The README's main job on the bundled samples. Each step prints what it does; a step's findings are
# shown, not fatal (the real seeds have gaps by design).
set -uo pipefail
cd "$(dirname "$0")/.."
pia() { node bin/pia.js "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "しきい値判断: 対象人数 150,000 人、取扱者数 320 人、重大事故なし"
pia threshold --persons 150000 --handlers 320

step "評価書の検証 (架空市のサンプルはエラーなし、実在の 2 件は元資料の欠落を未記載として報告)"
for f in assessments/*/assessment.yaml; do
  pia validate "$f" >/dev/null 2>&1; rc=$?
  printf '%-55s 終了コード %s\n' "$f" "$rc"
done
pia validate assessments/hofu-covid-vaccination/assessment.yaml | tail -n 15

#!/usr/bin/env bash
# One-step set-up for a fresh Debian machine with Node 20+ and npm: installs what is missing and builds.
# Idempotent: apt runs only when a package is absent; npm ci only when node_modules is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium poppler-utils fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho fonts-noto-cjk postgresql)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] apt: ${missing[*]} をインストールします"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "[setup] apt: 必要なパッケージはインストール済みです"
fi

# puppeteer-core never downloads a browser; the system chromium is used (see src/pdf/).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "[setup] npm: node_modules は最新です"
fi

echo "[setup] build"
npm run --silent build
echo "[setup] 完了"

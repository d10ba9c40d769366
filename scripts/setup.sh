#!/usr/bin/env bash
# Installs what the product needs into .venv (and, with "dev", the test tools and the Node
# test servers). Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian splits venv out of the interpreter package.
    echo "python3 -m venv failed; installing Debian's python3-venv" >&2
    rm -rf .venv
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv .venv
  fi
fi
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
  npm ci --no-audit --no-fund --loglevel=error
  # The browser tests (cards rendered by the official renderer) drive Debian's Chromium.
  if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
fi

#!/usr/bin/env bash
# Installs what the product needs into .venv and node_modules (the Adaptive Cards renderer the
# sandbox page draws Teams' cards with) and, with "dev", the test tools and the Node test servers.
# Idempotent: a second run only checks.
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
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node 20 with npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
  # Without install scripts, then ours (patch-package): the Agents Toolkit CLI's keytar would build a native
  # module (it needs libsecret, and the CLI's validate does not use it), and fails the install where it cannot.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  npm run --silent postinstall
  # The browser tests (cards rendered by the official renderer, the sandbox page) drive Debian's Chromium.
  if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
  # Chinese in the sandbox page's tests and screenshots needs a CJK font (its font stack names this one): 1.6 MB.
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null
  fi
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
  # The product's Node packages only (package.json "dependencies"), unless the locked ones are
  # there already (a developer's full install is left alone). No install scripts: the one in
  # package.json applies patches to a test server, which this install does not have.
  if ! node -e 'const lock = require("./package-lock.json").packages;
      for (const name of Object.keys(lock[""].dependencies || {})) {
        if (require("./node_modules/" + name + "/package.json").version !== lock["node_modules/" + name].version) process.exit(1);
      }' 2>/dev/null; then
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
fi

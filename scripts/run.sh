#!/usr/bin/env bash
# Installs what the product needs, then runs it. With no WeChat or Azure credentials configured
# it runs locally against the WeChat API and Bot Connector simulators (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m sandbox "$@"

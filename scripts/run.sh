#!/usr/bin/env bash
# Installs what the product needs, then runs it. With no WeChat or Azure credentials configured
# (WECHAT_APP_ID, MicrosoftAppId: in the environment or .env), the local sandbox: the real bridge
# on SQLite against simulators of WeChat's API, the Bot Connector and Twilio, and a page on
# http://127.0.0.1:8080/ (arguments go to `python -m sandbox`: --port N, --data DIR). With them,
# the bridge itself (`python app.py`), configured by the environment (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
configured() {
  [ -n "${WECHAT_APP_ID:-}" ] || [ -n "${MicrosoftAppId:-}" ] && return 0
  [ -f .env ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?(WECHAT_APP_ID|MicrosoftAppId)[[:space:]]*=[[:space:]]*["'\'']?[^"'\''[:space:]#]' .env
}
if configured; then
  echo "WeChat or Azure credentials are configured: running the bridge (python app.py)." >&2
  exec .venv/bin/python app.py
fi
exec .venv/bin/python -m sandbox "$@"

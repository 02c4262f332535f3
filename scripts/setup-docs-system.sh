#!/bin/sh
# Debian packages the docs need, installed only when their command is missing (idempotent):
#   sh scripts/setup-docs-system.sh npm        npm (with Node.js), to fetch MathJax from the npm registry (`make docs`)
#   sh scripts/setup-docs-system.sh chromium   Chromium, the headless browser of `make docs-check`
set -eu
missing=""
for tool in "$@"; do
    case "$tool" in
        npm) command -v npm >/dev/null 2>&1 || missing="$missing npm" ;;
        chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
            || missing="$missing chromium" ;;
        *) echo "setup-docs-system.sh: unknown tool '$tool' (npm or chromium)" >&2; exit 2 ;;
    esac
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "nanograph docs: please install$missing (a command of that name on PATH)" >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "nanograph docs: installing Debian's$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null

#!/bin/sh
# Debian's Chromium for `make docs-check` (a headless browser that opens the built docs). Idempotent: installs
# only when /usr/bin/chromium (or another chromium on PATH) is missing.
set -eu
command -v chromium >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "nanograph docs-check: please install Chromium (a 'chromium' command on PATH)" >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "nanograph docs-check: installing Debian's chromium"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null

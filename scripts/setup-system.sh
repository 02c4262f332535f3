#!/bin/sh
# System libraries nanograph needs on Debian/Ubuntu: SuiteSparse headers (CHOLMOD, for scikit-sparse<0.5)
# and OpenBLAS as the BLAS that CHOLMOD's supernodal factorisation calls (2-3x faster than reference BLAS).
# Idempotent: installs only what is missing.
set -eu
missing=""
dpkg -s libsuitesparse-dev >/dev/null 2>&1 || missing="$missing libsuitesparse-dev"
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing="$missing libopenblas0-pthread"
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "nanograph: please install SuiteSparse (CHOLMOD) headers and OpenBLAS:$missing" >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "nanograph: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null

#!/usr/bin/env bash
# What the test suite needs from the machine beyond Python: Debian's Chromium (the browser tests), nginx (the
# proxy tests) and a running PostgreSQL (the multi-process tests). As root it installs or starts what is
# missing; otherwise it stops and prints the one command to run. Used by `make test` and by .ci/run.
set -euo pipefail

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "The tests need Debian packages that are missing. Run:" >&2
        echo "    sudo apt-get install -y$missing" >&2
        exit 1
    fi
    echo "Installing$missing (Debian packages) for the browser and proxy tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1; then
    if [ "$(id -u)" -eq 0 ] && [ -d /etc/postgresql ]; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    else
        echo "PostgreSQL does not answer on 127.0.0.1:5432; start it (the multi-process tests need it)." >&2
        exit 1
    fi
fi

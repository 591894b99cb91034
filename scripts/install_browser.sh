#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/test_browser.py).
# Idempotent: does nothing when /usr/bin/chromium exists. Never downloads Playwright's own browsers
# (`playwright install`): the Python playwright package drives this system chromium instead.
# When it cannot install (not root, no apt-get), it says why and exits 0: the browser tests skip.
set -u
CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: apt-get is not available; install chromium yourself (browser tests will skip)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install_browser: not root and no passwordless sudo; run 'apt-get install chromium' as root (browser tests will skip)"
        exit 0
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
echo "installing Debian chromium (apt-get update, then apt-get install chromium)…"
if ! $SUDO apt-get update -qq; then
    echo "install_browser: apt-get update failed (no access to the package mirror?); browser tests will skip"
    exit 0
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; then
    echo "install_browser: apt-get install chromium failed; browser tests will skip"
    exit 0
fi
echo "installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"

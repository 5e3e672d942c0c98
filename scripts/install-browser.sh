#!/usr/bin/env sh
# Installs Debian's headless Chromium and its WebDriver for the console's browser tests
# (tests/e2e/console.rs), and axe-core (the accessibility checker the browser tests run on every
# console page) into ${XDG_CACHE_HOME:-$HOME/.cache}/incontro/axe.min.js. Each step does nothing
# when its result is already there.
set -eu
AXE_VERSION=4.14.1
AXE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/incontro"
if [ ! -s "$AXE_DIR/axe.min.js" ]; then
    mkdir -p "$AXE_DIR"
    TMP="$(mktemp -d)"
    (cd "$TMP" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar -xzf "axe-core-$AXE_VERSION.tgz")
    cp "$TMP/package/axe.min.js" "$AXE_DIR/axe.min.js"
    cp "$TMP/package/LICENSE" "$AXE_DIR/axe-LICENSE"
    rm -rf "$TMP"
fi
echo "axe-core: $AXE_DIR/axe.min.js"
if [ -x /usr/bin/chromedriver ]; then
    echo "chromedriver already installed: $(/usr/bin/chromedriver --version)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium chromium-driver
/usr/bin/chromedriver --version

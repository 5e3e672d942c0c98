#!/usr/bin/env sh
# Installs Debian's headless Chromium and its WebDriver for the console's browser tests
# (tests/e2e/console.rs). Does nothing when /usr/bin/chromedriver is already there.
set -eu
if [ -x /usr/bin/chromedriver ]; then
    echo "chromedriver already installed: $(/usr/bin/chromedriver --version)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium chromium-driver
/usr/bin/chromedriver --version

#!/usr/bin/env bash
# Debian packages that pip needs to build PyICU from source (ICU headers and
# pkg-config). Installs only what is missing; does nothing where they exist.
set -euo pipefail

missing=()
dpkg -s libicu-dev >/dev/null 2>&1 || missing+=(libicu-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: install ${missing[*]} (ICU development files) with your package manager, then run make again" >&2
  exit 2
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"

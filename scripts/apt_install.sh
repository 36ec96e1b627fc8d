#!/usr/bin/env bash
# Install Debian packages the project needs at run/test time, once: apt_install.sh PACKAGE ...
# Only packages dpkg does not list as installed are installed, so a second run does nothing. Needs root (or sudo) the first time; tries without `apt-get update` first (fast when the
# package lists are fresh), then with it.
set -euo pipefail

missing=()
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "apt_install: missing ${missing[*]} and this is not root; install with: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "apt_install: installing ${missing[*]} (Debian packages) ..."
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

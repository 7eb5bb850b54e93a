#!/usr/bin/env bash
# Installs what the test suite runs besides Python: Debian's Chromium (browser tests),
# Java (the Nu HTML checker), SpamAssassin (digest score), openssl (a TLS certificate
# for the SMTP and IMAP tests), openssh-server, rsync and git (the deploy tests start
# their own sshd and bare repositories), dovecot-imapd (the unsubscribe tests start
# their own IMAP server; the system service is never used) and the npm tools pinned in
# package.json. As root it installs what is missing; otherwise it says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(chromium fonts-dejavu-core spamassassin openjdk-17-jre-headless nodejs npm openssl
  openssh-server rsync git dovecot-imapd)
missing=()
for package in "${debian_packages[@]}"; do
  case "$package" in
    openjdk-17-jre-headless) command -v java >/dev/null && continue ;;
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done

if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    echo "setup: tests that need them will be skipped" >&2
  fi
fi

if command -v npm >/dev/null && { [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules ]]; }; then
  echo "setup: installing npm test tools (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  touch node_modules
fi

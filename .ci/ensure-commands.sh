#!/usr/bin/env bash
# Installs the Debian package behind each missing command: `ensure-commands.sh COMMAND:PACKAGE ...`.
# A COMMAND starting with `/` is a file to test instead (a package with no command, e.g.
# `/usr/lib/galera/libgalera_smm.so:galera-4`).
# The test suites start real programs (HAProxy as the TLS-terminating proxy, openssl for its
# certificate); a fresh machine has neither. Needs root to install, as ensure-mariadb.sh does.
set -euo pipefail

missing=()
for pair in "$@"; do
  what=${pair%%:*}
  if [[ $what == /* ]]; then
    [ -e "$what" ] || missing+=("${pair#*:}")
  else
    command -v "$what" >/dev/null 2>&1 || missing+=("${pair#*:}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing from Debian's packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

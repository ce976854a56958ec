#!/usr/bin/env bash
# Installs the Debian package behind each missing command or file:
# `ensure-commands.sh COMMAND:PACKAGE /ABSOLUTE/PATH:PACKAGE ...`.
# The test suites start real programs (HAProxy as the TLS-terminating proxy, openssl for its
# certificate, Python for the integrator example of docs/integrators.md); a fresh machine has
# none of them. Needs root to install, as ensure-mariadb.sh does.
set -euo pipefail

missing=()
for pair in "$@"; do
  wanted=${pair%%:*}
  if [[ $wanted == /* ]]; then
    [ -e "$wanted" ] || missing+=("${pair#*:}")
  else
    command -v "$wanted" >/dev/null 2>&1 || missing+=("${pair#*:}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing from Debian's packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

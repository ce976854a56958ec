#!/usr/bin/env bash
# Starts a throwaway 3-node MariaDB Galera cluster on loopback and keeps it up until Ctrl-C, SIGTERM
# or `--for SECONDS` (default 3600); then kills the nodes and removes their directories.
#   bash .ci/galera.sh [--retry-autocommit N] [--for SECONDS]
# Prints one DATABASE_URL per node. The cluster suite (`npm run test:cluster`) starts its own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/ensure-commands.sh /usr/sbin/mariadbd:mariadb-server /usr/lib/galera/libgalera_smm.so:galera-4 rsync:rsync
exec node --import tsx test/cluster/up.ts "$@"

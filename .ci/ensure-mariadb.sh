#!/usr/bin/env bash
# Makes sure a MySQL-compatible server answers on 127.0.0.1:3306 for root with an empty password:
# installs MariaDB from Debian's packages when missing, starts it when stopped. Needs root for both.
set -euo pipefail

if mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1 \
  || mysql -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1; then
  exit 0
fi

if [ ! -x /usr/sbin/mariadbd ]; then
  echo "MariaDB is not installed: installing it from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi

if ! mariadb-admin ping >/dev/null 2>&1; then
  echo "Starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  # mariadbd refuses to run as root, and in the background that failure would print nothing.
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 150); do
    mariadb-admin ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  mariadb-admin ping >/dev/null 2>&1 || { echo "MariaDB did not start" >&2; exit 1; }
fi

# Debian's root account is socket-only; allow TCP logins with the empty password as well.
if ! mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1; then
  mariadb -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')"
fi
mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null

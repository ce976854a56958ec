#!/usr/bin/env bash
# Runs a command with Node MAJOR first on PATH: `bash .ci/with-node.sh 24 npm test`.
# That Node comes from the npm registry's `node` package, installed once into .cache/node-MAJOR/
# (gitignored) and reinstalled when missing or broken.
set -euo pipefail
cd "$(dirname "$0")/.."

major=${1:?usage: with-node.sh MAJOR COMMAND...}
shift
cache=".cache/node-$major"
bin="$PWD/$cache/node_modules/.bin"

installed_major() { "$bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

if [ "$(installed_major)" != "$major" ]; then
  echo "Installing Node $major from the npm registry into $cache"
  mkdir -p .cache
  staging=$(mktemp -d ".cache/node-$major.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  # The `node` package fetches its platform's binary in a preinstall script, which npm runs for
  # a dependency only when allowScripts names it.
  printf '{ "private": true, "allowScripts": { "node": true } }\n' >"$staging/package.json"
  npm install --prefix "$staging" --no-audit --no-fund --loglevel=error "node@$major"
  rm -rf "$cache"
  mv "$staging" "$cache"
  trap - EXIT
  if [ "$(installed_major)" != "$major" ]; then
    echo "The npm package node@$major did not install a working node binary" >&2
    exit 1
  fi
fi

echo "Using Node $("$bin/node" --version) from $cache"
# node_modules installed under another Node serve as they are: its native parts (argon2, esbuild,
# rolldown, lightningcss) are Node-API addons or standalone executables, not tied to one Node ABI.
PATH="$bin:$PATH" exec "$@"

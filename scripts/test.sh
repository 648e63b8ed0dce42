#!/usr/bin/env bash
# Builds with zero warnings in our code, checks formatting, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
log=$(mktemp)
swift build --build-tests 2>&1 | tee "$log" | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
if grep -E '^/.*/(Sources|Tests)/.*(warning|error):' "$log" | grep -v '/.build' ; then
  echo "the build printed warnings or errors in our code (above)" >&2
  exit 1
fi
grep -q 'error:' "$log" && { echo "build failed" >&2; exit 1; }
swift format lint --strict --recursive Sources Tests Package.swift
swift test --skip-build --parallel 2>&1 | tail -n 40

#!/usr/bin/env bash
# Builds accessrisk and runs it on the demo tenant in SampleData/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product accessrisk 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
bin="$(swift build -c release --show-bin-path)/accessrisk"
"$bin" inspect SampleData

#!/usr/bin/env bash
# Builds accessrisk and runs the quarterly review of the demo tenant in SampleData/: a fictional company's
# exports (SampleData/exports), last quarter's register with the reviewers' decisions
# (SampleData/previous-cycle), and a policy with a break-glass exclusion (SampleData/policy.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product accessrisk 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|^Building|^Compiling|^Write|^Build of' || true
bin="$(swift build -c release --show-bin-path)/accessrisk"
"$bin" review SampleData/exports --previous SampleData/previous-cycle/risk-register-2026-Q3.csv \
  --policy SampleData/policy.json --as-of 2026-11-15 --no-workspace --out accessrisk-report
echo
echo "Open accessrisk-report/risk-assessment.md to read the assessment."

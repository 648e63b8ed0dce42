#!/usr/bin/env bash
# Builds the fuzz target with libFuzzer and AddressSanitizer and runs it.
#   Fuzz/run.sh [SECONDS] [extra libFuzzer flags]
# Seeds: Fuzz/corpus (committed) plus the real samples in ../shared/formats and the test fixtures.
# A crash leaves crash-* in Fuzz/artifacts/; add it to Tests/ as a regression case.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
bash ../scripts/ensure-deps.sh
swift build -c debug --scratch-path ../.build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
  --product accessrisk-fuzz 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
bin="$(swift build -c debug --scratch-path ../.build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)/accessrisk-fuzz"
work=$(mktemp -d)
cp corpus/* "$work"/ 2>/dev/null || true
for d in ../../shared/formats ../Tests/AccessRiskImportTests/Fixtures ../SampleData; do
  [ -d "$d" ] && find "$d" -type f -size -1M -exec cp {} "$work"/ \; 2>/dev/null || true
done
mkdir -p artifacts
"$bin" "$work" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix=artifacts/ -print_final_stats=1 "$@"

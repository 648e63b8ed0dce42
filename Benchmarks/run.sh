#!/usr/bin/env bash
# The scale benchmark of SPEC §9 (not a unit test): generates each profile once, reviews it with the release
# build under /usr/bin/time -v, prints wall time per stage, throughput and peak memory, then runs the DuckDB
# baseline (Benchmarks/duckdb_review.py, in a venv this script creates) on the same files and prints the ratio.
#
#   Benchmarks/run.sh [small|medium|large|enterprise ...]     (default: small medium large enterprise)
#   ACCESSRISK_BIN=.build-x/release/accessrisk Benchmarks/run.sh medium   (use a binary already built)
#
# Generated tenants are cached in Benchmarks/out/<profile>-s1 (delete to regenerate).
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(small medium large enterprise)
AS_OF=2026-11-15
bash scripts/ensure-deps.sh
if [ ! -x /usr/bin/time ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq time >/dev/null
fi
# ACCESSRISK_BIN=path uses an already built release binary instead of building one.
if [ -n "${ACCESSRISK_BIN:-}" ]; then
  bin="$ACCESSRISK_BIN"
else
  swift build -c release --product accessrisk 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
  bin="$(swift build -c release --show-bin-path)/accessrisk"
fi
venv=Benchmarks/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q duckdb
fi
mkdir -p Benchmarks/out
printf '\n%-11s %10s %9s %9s %9s %9s %9s %10s %9s %9s %8s\n' profile assignments import analysis register reports \
  "total s" "µs/assign" "peak MB" "duckdb s" ratio
for p in "${profiles[@]}"; do
  dir="Benchmarks/out/$p-s1"
  if [ ! -f "$dir/expected-findings.json" ]; then
    rm -rf "$dir"
    "$bin" generate --profile "$p" --seed 1 --as-of "$AS_OF" --out "$dir" >/dev/null
  fi
  rm -rf "$dir/report"
  /usr/bin/time -v "$bin" review "$dir/exports" --as-of "$AS_OF" --no-workspace --out "$dir/report" --quiet \
    2> "$dir/time.log" || { status=$?; [ $status -eq 1 ] || { cat "$dir/time.log"; exit $status; }; }
  wall=$(python3 - "$dir/time.log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
print((int(m.group(1) or 0) * 3600) + int(m.group(2)) * 60 + float(m.group(3)))
PY
)
  rss=$(grep "Maximum resident set size" "$dir/time.log" | awk '{print int($6/1024)}')
  /usr/bin/time -v "$venv/bin/python" Benchmarks/duckdb_review.py "$dir/exports" "$AS_OF" > "$dir/duckdb.json" \
    2> "$dir/duckdb-time.log"
  dwall=$(python3 - "$dir/duckdb-time.log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
print((int(m.group(1) or 0) * 3600) + int(m.group(2)) * 60 + float(m.group(3)))
PY
)
  python3 - "$dir" "$p" "$wall" "$rss" "$dwall" <<'PY'
import json, sys
d, p, wall, rss, dwall = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
m = json.load(open(f"{d}/report/manifest.json"))
t = {x["stage"]: x["seconds"] for x in m.get("timings", [])}
g = json.load(open(f"{d}/expected-findings.json"))
n = g["assignments"]
print(f"{p:<11} {n:>10} {t.get('import', 0):>9.2f} {t.get('analysis', 0):>9.2f} {t.get('register', 0):>9.2f} "
      f"{t.get('reports', 0):>9.2f} {wall:>9.2f} {wall / n * 1e6:>10.2f} {rss:>9} {dwall:>9.2f} {wall / dwall:>8.2f}")
PY
done
echo
echo "ratio = accessrisk wall time / DuckDB wall time (load + equivalent queries), same files, same machine."
echo "Per-profile details: Benchmarks/out/<profile>-s1/{time.log,duckdb.json,report/manifest.json}"

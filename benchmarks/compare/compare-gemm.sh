#!/usr/bin/env bash
# Side-by-side GEMM comparison: Backprop.Simd (quick `gemm` entry) against numpy/OpenBLAS on the same machine, in
# one run. Each round runs every shape once in each library, alternating which goes first, so drift and noise hit both
# alike; the table reports the median GFLOP/s over the rounds and the ratio of the medians.
#
# usage: benchmarks/compare/compare-gemm.sh [--rounds R] [--threads "1 2"] [--dtypes "f32 f64"] [--shapes FILE]
# needs: dotnet, /usr/bin/python3 with numpy (apt-get install python3-numpy libopenblas0-pthread).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=5; threads="1 2"; dtypes="f32 f64"; shapes="$root/benchmarks/compare/gemm-shapes.txt"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2;;
    --threads) threads=$2; shift 2;;
    --dtypes) dtypes=$2; shift 2;;
    --shapes) shapes=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
bench="$root/benchmarks/Backprop.Simd.Benchmarks/bin/Release/net10.0/Backprop.Simd.Benchmarks.dll"
dotnet build -c Release "$root/benchmarks/Backprop.Simd.Benchmarks" -v q -nologo >/dev/null
out=$(mktemp)
for r in $(seq 1 "$rounds"); do
  for dt in $dtypes; do
    for t in $threads; do
      while read -r name m n k flags; do
        case "$name" in ''|'#'*) continue;; esac
        [ "$flags" = "-" ] && flags=""
        ours() { echo "ours $dt $t $name $(dotnet "$bench" gemm --dtype "$dt" --m "$m" --n "$n" --k "$k" $flags --threads "$t" --reps 7)"; }
        blas() { echo "openblas $dt $t $name $(OPENBLAS_NUM_THREADS=$t /usr/bin/python3 "$root/benchmarks/compare/numpy_gemm.py" --dtype "$dt" --m "$m" --n "$n" --k "$k" $flags --reps 7)"; }
        if [ $((r % 2)) -eq 1 ]; then ours; blas; else blas; ours; fi
      done < "$shapes"
    done
  done
done > "$out"
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
from collections import defaultdict
g = defaultdict(list); order = []
for line in open(sys.argv[1]):
    lib, dt, t, name, js = line.split(" ", 4)
    key = (dt, int(t), name)
    if key not in order: order.append(key)
    g[(lib,) + key].append(json.loads(js)["gflops"])
print("| dtype | threads | shape | Backprop.Simd GFLOP/s | OpenBLAS GFLOP/s | ratio |")
print("| --- | ---: | --- | ---: | ---: | ---: |")
for key in order:
    o = statistics.median(g[("ours",) + key]); b = statistics.median(g[("openblas",) + key])
    print(f"| {key[0]} | {key[1]} | {key[2]} | {o:.1f} | {b:.1f} | {o / b:.2f} |")
PY
rm -f "$out"

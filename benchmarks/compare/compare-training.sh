#!/usr/bin/env bash
# Side-by-side training and inference comparison on this machine: Backprop.Simd (quick `train` entry and
# BenchmarkDotNet's inference suite) against PyTorch and the notebook's own numpy code. Rounds alternate the
# libraries; the table gives the median seconds per epoch over rounds. Each run trains --epochs epochs and its first
# --warmup are dropped, for every library alike: .NET's tiered JIT needs about two epochs of the notebook's 25-step
# recipes to reach its optimised code (deep recipe on 2 threads: 1.21, 0.30, 0.235, then 0.215 s per epoch).
#
# usage: benchmarks/compare/compare-training.sh [--rounds R] [--epochs E] [--warmup W] [--data FASHION_DIR]
# needs: dotnet, /usr/bin/python3 with numpy and torch (apt-get install python3-numpy python3-torch libopenblas0-pthread).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=3; epochs=5; warmup=2; data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2;;
    --epochs) epochs=$2; shift 2;;
    --warmup) warmup=$2; shift 2;;
    --data) data=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
bench="$root/benchmarks/Backprop.Simd.Benchmarks/bin/Release/net10.0/Backprop.Simd.Benchmarks.dll"
dotnet build -c Release "$root/benchmarks/Backprop.Simd.Benchmarks" -v q -nologo >/dev/null
py=/usr/bin/python3
cmp="$root/benchmarks/compare"
dataopt=(); [ -n "$data" ] && dataopt=(--data "$data")
out=$(mktemp)
run() { local label=$1; shift; "$@" | sed "s/^/$label /" >> "$out"; }
for r in $(seq 1 "$rounds"); do
  for t in 1 2; do
    run "ours-mlp-sgd-f32-t$t" dotnet "$bench" train --recipe mlp --epochs "$epochs" --threads "$t"
    run "torch-mlp-sgd-f32-t$t" "$py" "$cmp/torch_train.py" "${dataopt[@]}" --epochs "$epochs" --threads "$t"
    run "ours-mlp-adam-f32-t$t" dotnet "$bench" train --recipe mlp --epochs "$epochs" --threads "$t" --optimizer adam
    run "torch-mlp-adam-f32-t$t" "$py" "$cmp/torch_train.py" "${dataopt[@]}" --epochs "$epochs" --threads "$t" --optimizer adam
    run "ours-deep-f32-t$t" dotnet "$bench" train --recipe deep --epochs "$epochs" --threads "$t"
    run "torch-deep-f32-t$t" "$py" "$cmp/torch_train.py" "${dataopt[@]}" --recipe deep --epochs "$epochs" --threads "$t"
    run "ours-deep-f64-t$t" dotnet "$bench" train --recipe deep --epochs "$epochs" --threads "$t" --dtype f64
    run "numpy-deep-f64-t$t" env OPENBLAS_NUM_THREADS="$t" MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=268435456 \
      "$py" "$cmp/notebook_numpy.py" "${dataopt[@]}" --hidden 250,50,10 --epochs "$epochs"
    run "ours-one50-f64-t$t" dotnet "$bench" train --recipe one50 --epochs "$epochs" --threads "$t" --dtype f64
    run "numpy-one50-f64-t$t" env OPENBLAS_NUM_THREADS="$t" MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=268435456 \
      "$py" "$cmp/notebook_numpy.py" "${dataopt[@]}" --hidden 50 --epochs "$epochs"
  done
done
$py - "$out" "$warmup" <<'PY'
import json, statistics, sys
from collections import defaultdict
s = defaultdict(list); order = []
for line in open(sys.argv[1]):
    label, js = line.split(" ", 1)
    d = json.loads(js)
    if "epoch" not in d or d["epoch"] <= int(sys.argv[2]): continue
    if label not in order: order.append(label)
    s[label].append(d["seconds"])
print("| run | median s/epoch | epochs timed |")
print("| --- | ---: | ---: |")
for label in order:
    print(f"| {label} | {statistics.median(s[label]):.3f} | {len(s[label])} |")
PY
rm -f "$out"

#!/usr/bin/env bash
# Side-by-side training and inference comparison on this machine: Backprop.Simd (quick `train` entry and
# BenchmarkDotNet's inference suite) against PyTorch and the notebook's own numpy code. Rounds alternate the
# libraries; the table gives the median seconds per epoch over rounds. Each run trains --epochs epochs and its first
# --warmup are dropped, for every library alike: .NET's tiered JIT needs about two epochs of the notebook's 25-step
# recipes to reach its optimised code (deep recipe on 2 threads: 1.21, 0.30, 0.235, then 0.215 s per epoch).
#
# Every peer runs at both thread settings with its BLAS pinned to the same count (PyTorch's set_num_threads alone leaves
# OpenBLAS on every core), and the summary names, per workload, which setting of each library was fastest.
# --busy-cores N runs everything with N threads of another process spinning (the benchmark program's spin entry).
#
# usage: benchmarks/compare/compare-training.sh [--rounds R] [--epochs E] [--warmup W] [--data FASHION_DIR] [--busy-cores N]
# needs: dotnet, /usr/bin/python3 with numpy and torch (apt-get install python3-numpy python3-torch libopenblas0-pthread).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=3; epochs=5; warmup=2; data=""; busy=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2;;
    --epochs) epochs=$2; shift 2;;
    --warmup) warmup=$2; shift 2;;
    --data) data=$2; shift 2;;
    --busy-cores) busy=$2; shift 2;;
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
spinner=""
if [ "$busy" -gt 0 ]; then
  # The same spinning child the quick entries use, kept for the whole comparison so that the peers run under load too.
  coproc SPIN { exec dotnet "$bench" spin --threads "$busy"; }
  read -r ready <&"${SPIN[0]}"; [ "$ready" = spinning ] || { echo "spinner did not start" >&2; exit 1; }
  spinner=$SPIN_PID
  trap 'kill $spinner 2>/dev/null; rm -f "$out"' EXIT
fi
run() { local label=$1; shift; "$@" | sed "s/^/$label /" >> "$out"; }
# pinned T cmd...: a peer with its BLAS and OpenMP pools held to T threads.
pinned() { local t=$1; shift; env OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" MKL_NUM_THREADS="$t" "$@"; }
for r in $(seq 1 "$rounds"); do
  for t in 1 2; do
    run "ours-mlp-sgd-f32-t$t" dotnet "$bench" train --recipe mlp --epochs "$epochs" --threads "$t"
    run "torch-mlp-sgd-f32-t$t" pinned "$t" "$py" "$cmp/torch_train.py" "${dataopt[@]}" --epochs "$epochs" --threads "$t"
    run "ours-mlp-adam-f32-t$t" dotnet "$bench" train --recipe mlp --epochs "$epochs" --threads "$t" --optimizer adam
    run "torch-mlp-adam-f32-t$t" pinned "$t" "$py" "$cmp/torch_train.py" "${dataopt[@]}" --epochs "$epochs" --threads "$t" --optimizer adam
    run "ours-deep-f32-t$t" dotnet "$bench" train --recipe deep --epochs "$epochs" --threads "$t"
    run "torch-deep-f32-t$t" pinned "$t" "$py" "$cmp/torch_train.py" "${dataopt[@]}" --recipe deep --epochs "$epochs" --threads "$t"
    run "ours-deep-f64-t$t" dotnet "$bench" train --recipe deep --epochs "$epochs" --threads "$t" --dtype f64
    run "numpy-deep-f64-t$t" pinned "$t" env MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=268435456 \
      "$py" "$cmp/notebook_numpy.py" "${dataopt[@]}" --hidden 250,50,10 --epochs "$epochs"
    run "ours-one50-f64-t$t" dotnet "$bench" train --recipe one50 --epochs "$epochs" --threads "$t" --dtype f64
    run "numpy-one50-f64-t$t" pinned "$t" env MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=268435456 \
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
# Each library's best thread setting per workload (label: library-workload-...-tT).
best = {}
for label in order:
    lib, rest = label.split("-", 1)
    workload, threads = rest.rsplit("-t", 1)
    m = statistics.median(s[label])
    if (lib, workload) not in best or m < best[(lib, workload)][0]:
        best[(lib, workload)] = (m, threads)
print()
print("| library | workload | best setting | median s/epoch |")
print("| --- | --- | --- | ---: |")
for (lib, workload), (m, threads) in best.items():
    setting = f"{threads} thread(s)" + ("" if lib == "ours" else f", BLAS/OpenMP pinned to {threads}")
    print(f"| {lib} | {workload} | {setting} | {m:.3f} |")
PY
rm -f "$out"

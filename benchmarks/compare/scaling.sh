#!/usr/bin/env bash
# Thread scaling of GEMM and training on a machine with many cores: Backprop.Simd's quick entries at each thread
# count, beside numpy/OpenBLAS (GEMM, the notebook's numpy code) and PyTorch (training) at the same thread counts.
# Our training runs use a fixed shard count for every thread count, so each run's weights must hash the same: the
# summary checks that bitwise identity on this machine as well. Results go to OUT/raw.txt as they come (a run cut
# short keeps what it measured) and the tables to OUT/summary.md.
#
# usage: benchmarks/compare/scaling.sh [--threads "1 2 4 8 16"] [--shards "4 16"] [--epochs 5] [--warmup 2]
#          [--bench "CMD"] [--python PY] [--data FASHION_DIR] [--out DIR] [--no-peers] [--no-gemm]
# --bench: how to start the benchmark program (default: build it and run it with dotnet); on a machine without the
#   SDK, a self-contained publish: dotnet publish benchmarks/Backprop.Simd.Benchmarks -c Release -r linux-x64 --self-contained.
# needs: python3 with numpy (and torch unless --no-peers).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cmp="$root/benchmarks/compare"
threads="1 2 4 8 16"; shards="4 16"; epochs=5; warmup=2; bench=""; py=python3; data=""; out="scaling-out"; peers=1; gemms=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2;;
    --shards) shards=$2; shift 2;;
    --epochs) epochs=$2; shift 2;;
    --warmup) warmup=$2; shift 2;;
    --bench) bench=$2; shift 2;;
    --python) py=$2; shift 2;;
    --data) data=$2; shift 2;;
    --out) out=$2; shift 2;;
    --no-peers) peers=0; shift;;
    --no-gemm) gemms=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
if [ -z "$bench" ]; then
  dotnet build -c Release "$root/benchmarks/Backprop.Simd.Benchmarks" -v q -nologo >/dev/null
  bench="dotnet $root/benchmarks/Backprop.Simd.Benchmarks/bin/Release/net10.0/Backprop.Simd.Benchmarks.dll"
fi
mkdir -p "$out"
raw="$out/raw.txt"; : > "$raw"
dataopt=(); [ -n "$data" ] && dataopt=(--data "$data")
# label threads shards command...: one raw line per JSON line the command prints
run() { local label=$1 t=$2 s=$3; shift 3; "$@" | sed "s/^/$label $t $s /" >> "$raw"; }

for s in $shards; do
  for t in $threads; do
    run ours-mlp-f32 "$t" "$s" $bench train --recipe mlp --epochs "$epochs" --threads "$t" --shards "$s"
    run ours-deep-f32 "$t" "$s" $bench train --recipe deep --epochs "$epochs" --threads "$t" --shards "$s"
    run ours-deep-f64 "$t" "$s" $bench train --recipe deep --epochs "$epochs" --threads "$t" --shards "$s" --dtype f64
  done
done

# name m n k flags dtypes: the square, the deep recipe's first layer (2,380-row batch) and 784-256-128-10's at batch 128
[ "$gemms" = 1 ] && while read -r name m n k flags dts; do
  [ "$flags" = "-" ] && flags=""
  for dt in $dts; do
    for t in $threads; do
      echo "ours-gemm-$dt-$name $t - $($bench gemm --dtype "$dt" --m "$m" --n "$n" --k "$k" $flags --threads "$t" --reps 7 </dev/null)" >> "$raw"
      echo "openblas-gemm-$dt-$name $t - $(OPENBLAS_NUM_THREADS=$t "$py" "$cmp/numpy_gemm.py" --dtype "$dt" --m "$m" --n "$n" --k "$k" $flags --reps 7 </dev/null)" >> "$raw"
    done
  done
done <<'SHAPES'
2048² 2048 2048 2048 - f32 f64
[2380,784]x[784,250] 2380 250 784 - f32 f64
[128,784]x[784,256] 128 256 784 - f32
SHAPES

if [ "$peers" = 1 ]; then
  for t in $threads; do
    run torch-mlp-f32 "$t" - "$py" "$cmp/torch_train.py" "${dataopt[@]}" --epochs "$epochs" --threads "$t"
    run torch-deep-f32 "$t" - "$py" "$cmp/torch_train.py" "${dataopt[@]}" --recipe deep --epochs "$epochs" --threads "$t"
    run numpy-deep-f64 "$t" - env OPENBLAS_NUM_THREADS="$t" MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=268435456 \
      "$py" "$cmp/notebook_numpy.py" "${dataopt[@]}" --hidden 250,50,10 --epochs "$epochs"
  done
fi

"$py" - "$raw" "$warmup" > "$out/summary.md" <<'PY'
import json, statistics, sys
from collections import defaultdict
epochs = defaultdict(list); digests = defaultdict(set); gemm = {}; order = []
for line in open(sys.argv[1]):
    label, t, s, js = line.split(" ", 3)
    d = json.loads(js)
    if "gflops" in d:
        gemm[(label, int(t))] = d["gflops"]
        continue
    key = (label, s)
    if key not in order: order.append(key)
    if "weights_sha256" in d:
        digests[key].add((int(t), d["epoch"], d["weights_sha256"]))
    if d["epoch"] > int(sys.argv[2]):
        epochs[(label, s, int(t))].append(d["seconds"])
print("## Training: median seconds per epoch (speed-up over 1 thread)\n")
threads = sorted({k[2] for k in epochs})
print("| run | shards | " + " | ".join(f"{t} thr" for t in threads) + " | weights identical for every thread count |")
print("| --- | ---: | " + " | ".join("---:" for _ in threads) + " | --- |")
for label, s in order:
    med = {t: statistics.median(epochs[(label, s, t)]) for t in threads if (label, s, t) in epochs}
    base = med.get(min(med)) if med else None
    cells = [f"{med[t]:.3f} ({base / med[t]:.1f}×)" if t in med else "" for t in threads]
    same = ""
    if digests[(label, s)]:
        by_epoch = defaultdict(set)
        for t, e, h in digests[(label, s)]: by_epoch[e].add(h)
        same = "yes" if all(len(h) == 1 for h in by_epoch.values()) else "NO"
    print(f"| {label} | {s} | " + " | ".join(cells) + f" | {same} |")
if not gemm: sys.exit()
print("\n## GEMM: GFLOP/s (speed-up over 1 thread)\n")
labels = []
for label, t in gemm:
    if label not in labels: labels.append(label)
gthreads = sorted({t for _, t in gemm})
print("| run | " + " | ".join(f"{t} thr" for t in gthreads) + " |")
print("| --- | " + " | ".join("---:" for _ in gthreads) + " |")
for label in labels:
    base = gemm.get((label, gthreads[0]))
    print(f"| {label} | " + " | ".join(f"{gemm[(label, t)]:.0f} ({gemm[(label, t)] / base:.1f}×)" if (label, t) in gemm else "" for t in gthreads) + " |")
PY
cat "$out/summary.md"

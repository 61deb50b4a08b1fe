#!/usr/bin/python3
"""Times one GEMM shape with numpy (OpenBLAS) and prints one JSON line like `Backprop.Simd.Benchmarks gemm`.

usage: OPENBLAS_NUM_THREADS=T numpy_gemm.py --dtype f32|f64 --m M --n N --k K [--transa] [--transb] [--reps R]
Leave OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so OpenBLAS picks its fastest kernel for this CPU.
Run with Debian's /usr/bin/python3 (python3-numpy).
"""
import argparse, json, os, time

# OpenBLAS reads these when it loads: with them set (as on these machines) it falls back to its slower Haswell kernel.
for _name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_name, None)
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--dtype", default="f32")
p.add_argument("--m", type=int, default=512)
p.add_argument("--n", type=int)
p.add_argument("--k", type=int)
p.add_argument("--transa", action="store_true")
p.add_argument("--transb", action="store_true")
p.add_argument("--reps", type=int, default=15)
a = p.parse_args()
n = a.n or a.m
k = a.k or a.m
dt = np.float32 if a.dtype == "f32" else np.float64
rng = np.random.default_rng(42)
A = rng.uniform(-1, 1, (k, a.m) if a.transa else (a.m, k)).astype(dt)
B = rng.uniform(-1, 1, (n, k) if a.transb else (k, n)).astype(dt)
C = np.empty((a.m, n), dt)
opA = A.T if a.transa else A
opB = B.T if a.transb else B

def call():
    np.matmul(opA, opB, out=C)

# Warm up, then size the calls per sample to about 2 ms, as the .NET entry does.
t0 = time.perf_counter(); calls = 0
while time.perf_counter() - t0 < 0.5 or calls < 5:
    call(); calls += 1
inner = max(1, int(0.002 / ((time.perf_counter() - t0) / calls)))
samples = []
for _ in range(a.reps):
    s = time.perf_counter()
    for _ in range(inner):
        call()
    samples.append((time.perf_counter() - s) / inner)
samples.sort()
median = samples[len(samples) // 2]
flops = 2.0 * a.m * n * k
print(json.dumps({"dtype": a.dtype, "m": a.m, "n": n, "k": k, "transa": a.transa, "transb": a.transb,
                  "threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0")), "library": "numpy " + np.__version__,
                  "seconds_median": median, "gflops": round(flops / median / 1e9, 2),
                  "gflops_best": round(flops / samples[0] / 1e9, 2)}))

#!/usr/bin/python3
"""The `floor` quick entry's matrix products with numpy (OpenBLAS), for the same comparison with the best GEMM here.

usage: floor_openblas.py --recipe mlp|deep [--shards S] [--epochs E]
Times S shards' forward, weight-gradient and input-gradient products of one epoch of the `train` recipe, in this
process on one OpenBLAS thread, and prints one JSON line per epoch. Run one process with --shards 2 for one thread, and
two processes with --shards 1 side by side for two cores with nothing shared (as `floor` does with threads).
"""
import argparse, json, os, time

# Pinned to one thread, and OpenBLAS's own choice of kernel (these two, set on these machines, force its Haswell one).
os.environ["OPENBLAS_NUM_THREADS"] = "1"
for _name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_name, None)
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--recipe", default="mlp")
p.add_argument("--shards", type=int, default=2)
p.add_argument("--epochs", type=int, default=3)
a = p.parse_args()
sizes, rows, steps = {"mlp": ([784, 256, 128, 10], 64, 469), "deep": ([784, 250, 50, 10, 10], 1190, 25)}[a.recipe]
rng = np.random.default_rng(3)
f = lambda *shape: rng.uniform(-1, 1, shape).astype(np.float32)


class Shard:
    def __init__(self):
        n = len(sizes) - 1
        self.x = [f(rows, sizes[l]) for l in range(n + 1)]
        self.w = [f(sizes[l], sizes[l + 1]) for l in range(n)]
        self.dw = [np.empty((sizes[l], sizes[l + 1]), np.float32) for l in range(n)]
        self.dy = [f(rows, sizes[l + 1]) for l in range(n)]
        self.dx = [np.empty((rows, sizes[l]), np.float32) for l in range(n)]

    def run(self):
        n = len(self.w)
        for l in range(n):
            np.matmul(self.x[l], self.w[l], out=self.x[l + 1])
        for l in reversed(range(n)):
            np.matmul(self.x[l].T, self.dy[l], out=self.dw[l])
            if l > 0:
                np.matmul(self.dy[l], self.w[l].T, out=self.dx[l])


shards = [Shard() for _ in range(a.shards)]
for e in range(a.epochs):
    start = time.perf_counter()
    for _ in range(steps):
        for s in shards:
            s.run()
    print(json.dumps({"recipe": a.recipe, "shards": a.shards, "epoch": e + 1, "seconds": round(time.perf_counter() - start, 4)}), flush=True)

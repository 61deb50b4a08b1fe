#!/usr/bin/python3
"""The notebook's own numpy network (float64), timed per epoch, to compare with Backprop.Simd's notebook recipes.

It keeps the notebook's formulation: weights uniform(-1, 1) with the bias as column 0, bias units concatenated onto
every activation, sigmoid hidden and output layers, cross-entropy gradient a - y summed over the minibatch, L2 added to
non-bias weights, plain SGD, np.array_split into n_batches with no reshuffle, and the cost evaluated per minibatch.

usage: notebook_numpy.py [--data DIR] [--hidden 50 | --hidden 250,50,10] [--epochs E] [--batches 25] [--l2 0.5] [--lr 0.001]
Threads: OPENBLAS_NUM_THREADS. The glibc allocator is tuned (MALLOC_* below) so numpy's large temporaries are reused
instead of being mmap'ed and faulted in afresh on every batch; without it numpy loses much of its time to page faults.
"""
import argparse, json, os, sys, time

# OpenBLAS reads these when it loads: with them set (as on these machines) it falls back to its slower Haswell kernel.
for _name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_name, None)
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
import fashion

p = argparse.ArgumentParser()
p.add_argument("--data")
p.add_argument("--hidden", default="50")
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--batches", type=int, default=25)
p.add_argument("--l2", type=float, default=0.5)
p.add_argument("--lr", type=float, default=0.001)
a = p.parse_args()
x, y, _, _ = fashion.load(a.data, np.float64)
x, y = x[:59500], y[:59500]
sizes = [784] + [int(h) for h in a.hidden.split(",")] + [10]
rng = np.random.RandomState(1)
w = [rng.uniform(-1.0, 1.0, size=(sizes[i + 1], sizes[i] + 1)) for i in range(len(sizes) - 1)]
y_enc = np.zeros((10, y.shape[0])); y_enc[y, np.arange(y.shape[0])] = 1.0

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def add_bias(v, how):
    if how == "column":
        out = np.ones((v.shape[0], v.shape[1] + 1)); out[:, 1:] = v
    else:
        out = np.ones((v.shape[0] + 1, v.shape[1])); out[1:, :] = v
    return out

for epoch in range(1, a.epochs + 1):
    start = time.perf_counter(); cost_total = 0.0
    for idx in np.array_split(range(y.shape[0]), a.batches):
        acts = [add_bias(x[idx], "column").T]          # (in+1, n)
        zs = []
        for i, wi in enumerate(w):
            z = wi.dot(acts[-1]); zs.append(z)
            act = sigmoid(z)
            acts.append(add_bias(act, "row") if i < len(w) - 1 else act)
        out = acts[-1]; t = y_enc[:, idx]
        cost = np.sum(-t * np.log(out) - (1.0 - t) * np.log(1.0 - out)) + a.l2 / 2.0 * sum(np.sum(wi[:, 1:] ** 2) for wi in w)
        cost_total += cost
        sigma = out - t
        grads = [None] * len(w)
        for i in range(len(w) - 1, -1, -1):
            grads[i] = sigma.dot(acts[i].T)
            if i > 0:
                s = sigmoid(zs[i - 1])
                sigma = w[i].T.dot(sigma)[1:, :] * (s * (1.0 - s))
        for wi, gi in zip(w, grads):
            gi[:, 1:] += a.l2 * wi[:, 1:]
            wi -= a.lr * gi
    print(json.dumps({"hidden": a.hidden, "epoch": epoch, "seconds": round(time.perf_counter() - start, 4), "cost": cost_total,
                      "threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0"))}), flush=True)

#!/usr/bin/python3
"""PyTorch reference for the training and inference targets, measured on the same machine as Backprop.Simd.

usage: torch_train.py [--data DIR] [--threads T] [--epochs E] [--seed S] [--optimizer sgd|adam] [--recipe mlp|deep] [--inference]
mlp: 784-256-128-10 ReLU, cross-entropy, SGD momentum 0.9 lr 0.05 (or Adam 0.001), batch 128, data preloaded as tensors,
     reshuffled each epoch; prints one JSON line per epoch (seconds, loss, test accuracy).
deep: the notebook's recipe in float32: 784-250-50-10-10 sigmoid, BCE on sigmoid outputs summed over 25 batches, SGD 0.001 with L2 0.5.
--inference: single-sample latency (median of 2,000 calls) and a 10,000-sample batch (median of 20), no_grad.
Run with Debian's /usr/bin/python3 (python3-torch); leave OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset.
"""
import argparse, json, os, sys, time

# OpenBLAS reads these when it loads: with them set (as on these machines) it falls back to its slower Haswell kernel.
for _name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_name, None)
import numpy as np
import torch
from torch import nn
sys.path.insert(0, os.path.dirname(__file__))
import fashion

p = argparse.ArgumentParser()
p.add_argument("--data")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--seed", type=int, default=42)
p.add_argument("--optimizer", default="sgd")
p.add_argument("--recipe", default="mlp")
p.add_argument("--inference", action="store_true")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
xtr, ytr, xte, yte = (torch.from_numpy(np.ascontiguousarray(v)) for v in fashion.load(a.data))

def emit(**kw):
    print(json.dumps(dict(torch=torch.__version__, threads=a.threads, recipe=a.recipe, **kw)), flush=True)

if a.recipe == "mlp":
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if a.inference:
        model.eval()
        with torch.inference_mode():
            one = xte[:1].clone(); batch = xte[:10000].clone()
            for _ in range(200): model(one)
            lat = []
            for _ in range(2000):
                s = time.perf_counter(); model(one); lat.append(time.perf_counter() - s)
            for _ in range(3): model(batch)
            bt = []
            for _ in range(20):
                s = time.perf_counter(); model(batch); bt.append(time.perf_counter() - s)
        emit(single_sample_us=round(float(np.median(lat)) * 1e6, 2), batch10000_ms=round(float(np.median(bt)) * 1e3, 2))
        sys.exit(0)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=0.001) if a.optimizer == "adam" else torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    n = xtr.shape[0]
    for epoch in range(1, a.epochs + 1):
        s = time.perf_counter(); total = 0.0
        perm = torch.randperm(n)
        for i in range(0, n, 128):
            idx = perm[i:i + 128]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward(); opt.step()
            total += loss.item() * idx.shape[0]
        seconds = time.perf_counter() - s
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        emit(optimizer=a.optimizer, epoch=epoch, seconds=round(seconds, 4), loss=total / n, test_accuracy=round(acc, 4))
else:
    model = nn.Sequential(nn.Linear(784, 250), nn.Sigmoid(), nn.Linear(250, 50), nn.Sigmoid(), nn.Linear(50, 10), nn.Sigmoid(), nn.Linear(10, 10), nn.Sigmoid())
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.uniform_(m.weight, -1, 1); nn.init.uniform_(m.bias, -1, 1)
    x, y = xtr[:59500], ytr[:59500]
    onehot = torch.nn.functional.one_hot(y, 10).float()
    opt = torch.optim.SGD(model.parameters(), lr=0.001, weight_decay=0.5)
    loss_fn = nn.BCELoss(reduction="sum")
    chunks = np.array_split(np.arange(59500), 25)
    for epoch in range(1, a.epochs + 1):
        s = time.perf_counter(); total = 0.0
        for c in chunks:
            lo, hi = int(c[0]), int(c[-1]) + 1
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[lo:hi]), onehot[lo:hi])
            loss.backward(); opt.step(); total += loss.item()
        emit(epoch=epoch, seconds=round(time.perf_counter() - s, 4), loss=total)

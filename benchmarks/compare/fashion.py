"""Loads Fashion-MNIST (gzip or raw IDX) for the comparison scripts, or synthetic data of the same shape."""
import gzip, os, struct
import numpy as np

def _idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)

def _find(directory, stem):
    for name in (stem + ".gz", stem):
        p = os.path.join(directory, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"{stem}[.gz] not found in {directory}")

def load(directory, dtype=np.float32):
    """(x_train, y_train, x_test, y_test), pixels scaled to [0, 1]; synthetic (60,000 + 10,000) when directory is None."""
    if directory is None:
        rng = np.random.default_rng(7)
        return (rng.random((60000, 784), dtype=np.float64).astype(dtype), rng.integers(0, 10, 60000),
                rng.random((10000, 784), dtype=np.float64).astype(dtype), rng.integers(0, 10, 10000))
    parts = []
    for prefix in ("train", "t10k"):
        x = _idx(_find(directory, f"{prefix}-images-idx3-ubyte")).reshape(-1, 784).astype(dtype) / 255
        y = _idx(_find(directory, f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
        parts += [x, y]
    return tuple(parts)

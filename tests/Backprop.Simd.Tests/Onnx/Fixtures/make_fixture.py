#!/usr/bin/env python3
"""Regenerates the ONNX fixtures in this folder with the real ONNX toolchain.

CI does not run this: the .onnx and .json files it writes are committed. To regenerate (Debian):
    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 tests/Backprop.Simd.Tests/Onnx/Fixtures/make_fixture.py

Writes, next to this script:
  mlp_torch.onnx / .json   torch.onnx.export of nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)), opset 13,
                           dynamic batch axis; weights in raw_data; expected outputs computed by torch.
  mlp_helper.onnx / .json  onnx.helper graph: Sub/Div standardisation, MatMul + Add, Tanh, Gemm (transB = 1,
                           alpha, beta), LeakyRelu, Sigmoid, Softmax, Identity; FLOAT weights in float_data (typed
                           field, not raw_data); expected outputs computed by numpy in float64.
  mlp_double.onnx / .json  the same kind of graph in DOUBLE, weights in double_data, with Flatten and Relu.
  mlp_torch_deep.onnx / .json
                           torch.onnx.export, opset 17, of a standardisation module (Sub and Div by buffers), then
                           nn.Sequential(Flatten, Linear(6, 10), Tanh, Dropout, Linear(10, 8), LeakyReLU(0.2),
                           Linear(8, 5), Sigmoid, Linear(5, 4), Softmax(dim=1)) in eval mode, on inputs [batch, 2, 3];
                           "inputs" holds each sample flattened to 6 values; expected outputs computed by torch.
  mlp_torch_deep_double.onnx / .json
                           the same network in float64 (net.double()), weights DOUBLE, outputs computed by torch.
  mlp_torch_view.onnx / .json
                           torch.onnx.export, opset 11, of an MNIST-style module on inputs [batch, 1, 4, 4]:
                           x.view(x.size(0), -1) (Shape, Gather, Unsqueeze with axes attribute, Concat, Reshape),
                           Linear(16, 10), ReLU, Linear(10, 3), log_softmax(dim=1); outputs computed by torch.
  mlp_torch_reshape.onnx / .json
                           the same with x.reshape(x.shape[0], -1) at opset 13 (Unsqueeze with axes input).
  mlp_torch_view_constant.onnx / .json
                           the same with x.view(-1, 16) (Reshape to the constant [-1, 16]) at opset 17.
  mlp_torch_batchnorm.onnx / .json, mlp_torch_batchnorm_double.onnx / .json
                           Linear(4, 8), BatchNorm1d(8) with random statistics and affine parameters, ReLU,
                           Linear(8, 3), in eval mode, opset 13, in float32 and float64.
  mlp_torch_gelu.onnx, mlp_torch_silu.onnx
                           Linear(4, 6), GELU() or SiLU(), Linear(6, 3), opset 13: GELU as Div, Erf, Add, Mul, Mul
                           and SiLU as Sigmoid, Mul.
  mlp_torch_dropout_training.onnx, mlp_torch_batchnorm_training.onnx
                           Linear, Dropout(0.5) or BatchNorm1d, Linear exported with training=TrainingMode.TRAINING:
                           Dropout with a true training_mode, BatchNormalization with its running statistics as outputs.
Each .json holds the op types, the opset, every initializer (dims and values) and inputs with expected outputs.

With names as arguments (e.g. mlp_torch_deep), only those fixtures are written.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def tensor_json(array):
    return {"dims": list(array.shape), "values": [float(v) for v in array.reshape(-1)]}


def write(name, model, inputs, outputs):
    onnx.checker.check_model(model)
    path = os.path.join(HERE, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    initializers = {t.name: tensor_json(numpy_helper.to_array(t)) for t in model.graph.initializer}
    info = {
        "producer": model.producer_name,
        "ir_version": model.ir_version,
        "opset": [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")][0],
        "input_name": model.graph.input[0].name,
        "output_name": model.graph.output[0].name,
        "op_types": [n.op_type for n in model.graph.node],
        "initializers": initializers,
        "inputs": [[float(v) for v in row] for row in inputs],
        "outputs": [[float(v) for v in row] for row in outputs],
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def fixed_inputs(dtype):
    return np.array(
        [[0.0, 0.0, 0.0, 0.0], [1.0, -2.0, 0.5, 3.0], [-1.5, 0.25, 2.0, -0.75], [0.1, 0.2, 0.3, 0.4]], dtype=dtype)


def make_torch():
    import torch

    torch.manual_seed(1234)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    net.eval()
    x = torch.from_numpy(fixed_inputs(np.float32))
    path = os.path.join(HERE, "mlp_torch.onnx")
    torch.onnx.export(net, x[:2], path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    with torch.no_grad():
        y = net(x).numpy()
    model = onnx.load(path)
    write("mlp_torch", model, x.numpy(), y)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def make_helper():
    rng = np.random.default_rng(42)
    mean = rng.normal(size=4).astype(np.float32)
    std = (rng.uniform(0.5, 2.0, size=4)).astype(np.float32)
    w1 = rng.normal(scale=0.5, size=(4, 6)).astype(np.float32)   # MatMul: x (B,4) @ w1 (4,6)
    b1 = rng.normal(scale=0.1, size=6).astype(np.float32)
    w2 = rng.normal(scale=0.5, size=(5, 6)).astype(np.float32)   # Gemm transB: (B,6) @ w2^T (6,5)
    b2 = rng.normal(scale=0.1, size=5).astype(np.float32)
    w3 = rng.normal(scale=0.5, size=(5, 3)).astype(np.float32)
    b3 = rng.normal(scale=0.1, size=3).astype(np.float32)
    alpha, beta, slope = 0.5, 2.0, 0.1

    def init(name, a):
        return helper.make_tensor(name, TensorProto.FLOAT, a.shape, a.reshape(-1).tolist(), raw=False)

    nodes = [
        helper.make_node("Sub", ["x", "mean"], ["centred"], name="standardise_sub"),
        helper.make_node("Div", ["centred", "std"], ["z0"], name="standardise_div"),
        helper.make_node("MatMul", ["z0", "w1"], ["mm1"], name="dense1_matmul"),
        helper.make_node("Add", ["mm1", "b1"], ["a1"], name="dense1_add"),
        helper.make_node("Tanh", ["a1"], ["h1"], name="tanh1"),
        helper.make_node("Gemm", ["h1", "w2", "b2"], ["a2"], name="dense2", transB=1, alpha=alpha, beta=beta),
        helper.make_node("LeakyRelu", ["a2"], ["h2"], name="leaky2", alpha=slope),
        helper.make_node("Sigmoid", ["h2"], ["s2"], name="sigmoid2"),
        helper.make_node("Gemm", ["s2", "w3", "b3"], ["a3"], name="dense3"),
        helper.make_node("Softmax", ["a3"], ["p"], name="softmax3", axis=1),
        helper.make_node("Identity", ["p"], ["y"], name="identity"),
    ]
    graph = helper.make_graph(
        nodes, "mlp_helper",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])],
        [init("mean", mean), init("std", std), init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2),
         init("w3", w3), init("b3", b3)])
    model = helper.make_model(graph, producer_name="make_fixture.py", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7

    x = fixed_inputs(np.float32).astype(np.float64)
    z = (x - mean) / std
    h1 = np.tanh(z @ w1 + b1)
    a2 = alpha * (h1 @ w2.astype(np.float64).T) + beta * b2
    h2 = np.where(a2 >= 0, a2, slope * a2)
    s2 = 1 / (1 + np.exp(-h2))
    y = softmax(s2 @ w3 + b3)
    write("mlp_helper", model, fixed_inputs(np.float32), y)


def make_double():
    rng = np.random.default_rng(7)
    w1 = rng.normal(scale=0.5, size=(4, 5))
    b1 = rng.normal(scale=0.1, size=5)
    w2 = rng.normal(scale=0.5, size=(2, 5))
    b2 = rng.normal(scale=0.1, size=2)

    def init(name, a):
        return helper.make_tensor(name, TensorProto.DOUBLE, a.shape, a.reshape(-1).tolist(), raw=False)

    nodes = [
        helper.make_node("Flatten", ["x"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "w1", "b1"], ["a1"], name="dense1"),
        helper.make_node("Relu", ["a1"], ["h1"], name="relu1"),
        helper.make_node("Gemm", ["h1", "w2", "b2"], ["y"], name="dense2", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "mlp_double",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["N", 4])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, ["N", 2])],
        [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2)])
    model = helper.make_model(graph, producer_name="make_fixture.py", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    x = fixed_inputs(np.float64)
    y = np.maximum(x @ w1 + b1, 0) @ w2.T + b2
    write("mlp_double", model, x, y)


def make_torch_deep(name, dtype):
    import torch

    class Standardize(torch.nn.Module):
        def __init__(self, mean, std):
            super().__init__()
            self.register_buffer("mean", mean)
            self.register_buffer("std", std)

        def forward(self, x):
            return (x - self.mean) / self.std

    torch.manual_seed(99)
    mean = torch.randn(2, 3) * 0.5
    std = torch.rand(2, 3) + 0.5
    net = torch.nn.Sequential(
        Standardize(mean, std), torch.nn.Flatten(),
        torch.nn.Linear(6, 10), torch.nn.Tanh(), torch.nn.Dropout(0.3),
        torch.nn.Linear(10, 8), torch.nn.LeakyReLU(0.2),
        torch.nn.Linear(8, 5), torch.nn.Sigmoid(),
        torch.nn.Linear(5, 4), torch.nn.Softmax(dim=1))
    net = net.to(dtype)
    net.eval()
    x = (torch.randn(5, 2, 3) * 1.5).to(dtype)
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(net, x[:2], path, opset_version=17, input_names=["features"], output_names=["probabilities"],
                      dynamic_axes={"features": {0: "batch"}, "probabilities": {0: "batch"}})
    with torch.no_grad():
        y = net(x).numpy()
    write(name, onnx.load(path), x.reshape(5, 6).numpy(), y)


def make_torch_flatten(name, flatten, opset):
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(16, 10)
            self.fc2 = torch.nn.Linear(10, 3)

        def forward(self, x):
            x = flatten(x)
            return torch.nn.functional.log_softmax(self.fc2(torch.relu(self.fc1(x))), dim=1)

    torch.manual_seed(5)
    net = Net().eval()
    x = torch.randn(5, 1, 4, 4)
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(net, x[:2], path, opset_version=opset, input_names=["image"], output_names=["log_probabilities"],
                      dynamic_axes={"image": {0: "batch"}, "log_probabilities": {0: "batch"}})
    with torch.no_grad():
        y = net(x).numpy()
    write(name, onnx.load(path), x.reshape(5, 16).numpy(), y)


def make_torch_small(name, activation, dtype=None, training=False):
    """Linear(4, n), the middle module, Linear(n, 3): the middle is built by `activation`."""
    import torch

    torch.manual_seed(11)
    middle, width = activation()
    net = torch.nn.Sequential(torch.nn.Linear(4, width), middle, torch.nn.Linear(width, 3))
    if dtype is not None:
        net = net.to(dtype)
    x = torch.randn(5, 4, dtype=dtype or torch.float32)
    path = os.path.join(HERE, name + ".onnx")
    mode = torch.onnx.TrainingMode.TRAINING if training else torch.onnx.TrainingMode.EVAL
    net.train(training)
    torch.onnx.export(net, x[:2], path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, training=mode)
    net.eval()
    with torch.no_grad():
        y = net(x).numpy()
    write(name, onnx.load(path), x.numpy(), y)


def batchnorm():
    import torch

    bn = torch.nn.BatchNorm1d(8)
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(8) * 0.5)
        bn.running_var.copy_(torch.rand(8) + 0.25)
        bn.weight.copy_(torch.randn(8))
        bn.bias.copy_(torch.randn(8) * 0.3)
    return torch.nn.Sequential(bn, torch.nn.ReLU()), 8


FIXTURES = {
    "mlp_torch": make_torch,
    "mlp_helper": make_helper,
    "mlp_double": make_double,
    "mlp_torch_deep": lambda: make_torch_deep("mlp_torch_deep", __import__("torch").float32),
    "mlp_torch_deep_double": lambda: make_torch_deep("mlp_torch_deep_double", __import__("torch").float64),
    "mlp_torch_view": lambda: make_torch_flatten("mlp_torch_view", lambda x: x.view(x.size(0), -1), 11),
    "mlp_torch_reshape": lambda: make_torch_flatten("mlp_torch_reshape", lambda x: x.reshape(x.shape[0], -1), 13),
    "mlp_torch_view_constant": lambda: make_torch_flatten("mlp_torch_view_constant", lambda x: x.view(-1, 16), 17),
    "mlp_torch_batchnorm": lambda: make_torch_small("mlp_torch_batchnorm", batchnorm),
    "mlp_torch_batchnorm_double": lambda: make_torch_small("mlp_torch_batchnorm_double", batchnorm, __import__("torch").float64),
    "mlp_torch_gelu": lambda: make_torch_small("mlp_torch_gelu", lambda: (__import__("torch").nn.GELU(), 6)),
    "mlp_torch_silu": lambda: make_torch_small("mlp_torch_silu", lambda: (__import__("torch").nn.SiLU(), 6)),
    "mlp_torch_dropout_training": lambda: make_torch_small(
        "mlp_torch_dropout_training", lambda: (__import__("torch").nn.Dropout(0.5), 6), training=True),
    "mlp_torch_batchnorm_training": lambda: make_torch_small("mlp_torch_batchnorm_training", batchnorm, training=True),
}

if __name__ == "__main__":
    import sys

    for fixture in sys.argv[1:] or FIXTURES:
        FIXTURES[fixture]()

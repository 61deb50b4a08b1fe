using BenchmarkDotNet.Running;
using Backprop.Simd.Benchmarks;

if (args.Length > 0 && args[0] == "gemm")
{
    return QuickGemm.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "kernel")
{
    return QuickKernel.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "infer")
{
    return QuickInfer.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "spin")
{
    return BusyCores.Spin(args[1..]);
}

if (args.Length > 0 && args[0] == "floor")
{
    return QuickFloor.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "train")
{
    return QuickTrain.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(QuickGemm).Assembly).Run(args);
return 0;

namespace Backprop.Simd.Numerics.Threading;

/// <summary>Work split into numbered items that may run on any thread in any order; each item must write its own outputs.</summary>
internal interface IParallelWork
{
    /// <summary>Runs item <paramref name="index"/>.</summary>
    void Execute(int index);
}

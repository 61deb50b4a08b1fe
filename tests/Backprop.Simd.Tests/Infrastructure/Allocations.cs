using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Tests.Infrastructure;

/// <summary>
/// The collection of tests that count allocated bytes: they run alone (xunit runs a collection with parallelisation
/// disabled after every parallel one has finished), so that no other test's work runs on the library's threads.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCounting
{
    public const string Name = "Allocation counting";
}

/// <summary>
/// Counts the bytes allocated on the threads the library computes on: the calling thread and every worker of its pool.
/// </summary>
/// <remarks>
/// <para>The process-wide counter (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) cannot be used: the test host
/// allocates on its own threads at any moment (a 168-byte timer object every ~80 ms, Newtonsoft.Json when it reports to
/// the runner). Each thread's own counter is exact; a pool job that holds every pool thread until all have arrived reads
/// them all, each thread running exactly one item. It waits by spinning: a blocking primitive allocates its lock object
/// the first time it blocks, which would count itself.</para>
/// <para>Some first-time allocations come late, whenever they first happen: the pool's events create their lock
/// object (24 bytes, once per process) the first time a thread blocks on one, and the runtime occasionally allocates 24
/// bytes on a thread when it swaps in optimised code (seen once in ~1500 GEMM calls, never with tiered compilation
/// off). A per-call allocation shows in every round of calls, a one-time one in one round: so the calls are measured in
/// up to three rounds, and one clean round passes.</para>
/// </remarks>
internal sealed class Allocations : IParallelWork
{
    private const int Rounds = 3;
    private static readonly Allocations s_shared = new();
    private readonly int _threads = WorkerPool.Shared.MaxThreads;
    private readonly long[] _bytes;
    private int _arrived;
    private int _target;

    private Allocations()
    {
        _bytes = new long[_threads];
    }

    /// <summary>The bytes allocated so far by the calling thread and the pool's workers together.</summary>
    public static long OnLibraryThreads()
    {
        Allocations a = s_shared;
        a._target += a._threads;
        WorkerPool.Shared.Run(a, a._threads, a._threads);
        long sum = 0;
        foreach (long bytes in a._bytes)
        {
            sum += bytes;
        }

        return sum;
    }

    /// <summary>Calls <paramref name="action"/> until first uses are done (pools sized, buffers grown, workers started), then asserts that a round of <paramref name="calls"/> more allocates nothing.</summary>
    public static void AssertNone(string what, int calls, Action action)
    {
        for (int i = 0; i < 10; i++)
        {
            action();
        }

        var rounds = new long[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long before = OnLibraryThreads();
            for (int i = 0; i < calls; i++)
            {
                action();
            }

            rounds[round] = OnLibraryThreads() - before;
            if (rounds[round] == 0)
            {
                return;
            }
        }

        Assert.Fail($"{what}: {string.Join(", ", rounds)} bytes allocated in {Rounds} rounds of {calls} calls after warm-up, expected 0 in at least one.");
    }

    /// <summary>Asserts that at least one of the rounds of measured intervals (an epoch's steps, say) allocated nothing in any interval.</summary>
    public static void AssertNone(string what, long[][] rounds) =>
        Assert.True(
            rounds.Any(round => round.All(bytes => bytes == 0)),
            $"{what}: bytes allocated per interval, by round: {string.Join(" | ", rounds.Select(r => string.Join(", ", r)))}; expected a round of zeros.");

    public void Execute(int index)
    {
        // Holding each thread here until all have arrived makes every pool thread take exactly one item.
        Interlocked.Increment(ref _arrived);
        long deadline = Environment.TickCount64 + 30_000;
        var spin = default(SpinWait);
        while (Volatile.Read(ref _arrived) < Volatile.Read(ref _target))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("The pool's threads did not all take part in the allocation count (is another job running?).");
            }

            spin.SpinOnce();
        }

        _bytes[index] = GC.GetAllocatedBytesForCurrentThread();
    }
}

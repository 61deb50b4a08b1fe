using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Backprop.Simd.Numerics.Threading;

/// <summary>
/// Persistent worker threads that wait on preallocated events, so that handing out work allocates nothing and costs
/// about a microsecond, unlike a <c>Task</c> or <c>Parallel.For</c> per call.
/// </summary>
/// <remarks>
/// <para>Items are dealt out statically first: with P participating threads, thread t (the caller is 0) runs items t,
/// t + P, t + 2P, …, so that an item index lands on the same core call after call and finds its data (a GEMM's slice
/// of B, a shard's buffers, a chunk of the gradients) still in that core's cache. A thread that runs out then takes
/// any item nobody has claimed yet, so a descheduled thread delays the job by at most the items it already holds.</para>
/// <para>One job runs at a time. A caller that finds the pool busy (another thread's job, or a nested call from inside a
/// job) runs its items on its own thread instead: the items produce the same results whichever thread runs them,
/// so this changes speed, never results.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "A process-lifetime pool: its threads and events live as long as the process.")]
internal sealed class WorkerPool
{
    // Before blocking, a waiting thread spins on the event's flag for up to SpinTime with pause instructions only:
    // back-to-back jobs (GEMM after GEMM, layer after layer, step after step) then hand off without a kernel wake-up,
    // and an idle pool stops burning CPU after 0.2 ms. The events' own spinning is off (SpinCount 1) because its
    // back-off yields and sleeps, which on a 2-vCPU VM stalled hand-offs by a millisecond or more.
    private const int SpinCount = 1;
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000;
    private static readonly long s_yieldTicks = Stopwatch.Frequency / 20_000;

    private readonly Worker[] _workers;
    private readonly ManualResetEventSlim _done = new(false, SpinCount);
    private int _busy;
    private IParallelWork? _work;
    private int _count;
    private int _participants;
    private int _generation;
    private int[] _claims = [];
    private int _pending;
    private Exception? _failure;

    /// <summary>A pool with its own workers (the library uses <see cref="Shared"/>; tests make private ones).</summary>
    internal WorkerPool(int workerCount)
    {
        _workers = new Worker[workerCount];
    }

    /// <summary>The generation the next job will have minus one: lets a test bring the 2^32-job wrap-around near.</summary>
    internal int LastGeneration
    {
        get => _generation;
        set => _generation = value;
    }

    /// <summary>The process-wide pool: one worker per processor beyond the caller's own thread.</summary>
    public static WorkerPool Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    /// <summary>The largest number of threads a job can use: the workers plus the caller.</summary>
    public int MaxThreads => _workers.Length + 1;

    /// <summary>
    /// Resolves a caller's requested degree of parallelism into a number of work partitions: 0 or less means one per
    /// processor. A request beyond the processors is honoured as a partition count (the pool runs the items on the
    /// threads it has), so results never depend on the machine.
    /// </summary>
    public static int ResolveThreads(int maxDegreeOfParallelism) =>
        maxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, 1024);

    /// <summary>Runs <paramref name="work"/> for items 0 .. <paramref name="count"/> - 1 on up to <paramref name="threads"/> threads, the caller's included, and returns when all are done.</summary>
    public void Run(IParallelWork work, int count, int threads)
    {
        int helpers = Math.Min(Math.Min(threads, count) - 1, _workers.Length);
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++)
            {
                work.Execute(i);
            }

            return;
        }

        try
        {
            if (_claims.Length < count)
            {
                _claims = new int[count];
            }

            _work = work;
            _count = count;
            _participants = helpers + 1;
            if (++_generation == 0)
            {
                // A claim holds the generation of the job that made it; after 2^32 jobs the values come round again,
                // so old claims are erased then, or a stale one could match and its item be skipped.
                Array.Clear(_claims);
                _generation = 1;
            }

            _failure = null;
            _pending = helpers;
            _done.Reset();
            for (int i = 0; i < helpers; i++)
            {
                (_workers[i] ??= new Worker(this, i)).Start();
            }

            ExecuteItems(0);
            WaitFor(_done);
            _work = null;
            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Spins on the flag for up to <see cref="s_spinTicks"/>, then blocks until it is set.</summary>
    private static void WaitFor(ManualResetEventSlim signal)
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = start + s_spinTicks;
        long yieldAt = start + s_yieldTicks;
        while (!signal.IsSet)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                break;
            }

            if (now >= yieldAt)
            {
                // The thread we wait for may share our processor (the scheduler woke it there); let it run.
                Thread.Yield();
                yieldAt = now + s_yieldTicks;
            }
            else
            {
                Thread.SpinWait(1);
            }
        }

        signal.Wait();
    }

    /// <summary>The items dealt to participant <paramref name="slot"/>, then any left unclaimed.</summary>
    private void ExecuteItems(int slot)
    {
        IParallelWork work = _work!;
        int count = _count;
        int participants = _participants;
        int generation = _generation;
        int[] claims = _claims;
        for (int i = slot; i < count; i += participants)
        {
            TryExecute(work, claims, i, generation);
        }

        for (int i = 0; i < count; i++)
        {
            if (Volatile.Read(ref claims[i]) != generation)
            {
                TryExecute(work, claims, i, generation);
            }
        }
    }

    /// <summary>Runs item <paramref name="index"/> unless another thread claimed it first in this generation.</summary>
    private void TryExecute(IParallelWork work, int[] claims, int index, int generation)
    {
        if (Interlocked.Exchange(ref claims[index], generation) == generation)
        {
            return;
        }

        try
        {
            work.Execute(index);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
    }

    private void WorkerFinished()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.Set();
        }
    }

    [SuppressMessage("Design", "CA1001", Justification = "Lives as long as its process-lifetime pool.")]
    private sealed class Worker
    {
        private readonly WorkerPool _pool;
        private readonly int _slot;
        private readonly ManualResetEventSlim _start = new(false, SpinCount);

        public Worker(WorkerPool pool, int index)
        {
            _pool = pool;
            _slot = index + 1;
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"Backprop.Simd worker {index + 1}",
            };
            thread.Start();
        }

        public void Start() => _start.Set();

        private void Loop()
        {
            while (true)
            {
                WaitFor(_start);
                _start.Reset();
                _pool.ExecuteItems(_slot);
                _pool.WorkerFinished();
            }
        }
    }
}

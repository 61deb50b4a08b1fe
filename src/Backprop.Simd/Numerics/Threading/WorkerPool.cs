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
/// any item nobody has claimed yet.</para>
/// <para>The caller never waits for a worker that has not started: a job is done when its items are, so the caller
/// waits only for items a running worker has claimed. A worker that another process keeps off its core costs the job
/// at most the items the caller then runs itself, never a scheduler quantum; when it wakes late it finds every item of
/// that job claimed and does nothing.</para>
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

    // The published job. The caller writes these fields between two increments of _sequence (odd while it writes); a
    // worker that wakes at any time copies them and keeps the copy only if the sequence was even and unchanged, so it
    // never mixes the fields of two jobs.
    private int _sequence;
    private IParallelWork? _work;
    private int _count;
    private int _participants;
    private long _generation;
    private long[] _claims = [];
    private int _completed;
    private Exception? _failure;

    /// <summary>A pool with its own workers (the library uses <see cref="Shared"/>; tests make private ones).</summary>
    internal WorkerPool(int workerCount)
    {
        _workers = new Worker[workerCount];
    }

    /// <summary>The generation the next job will have minus one: lets a test bring the wrap-around of job numbers near.</summary>
    internal long LastGeneration
    {
        get => _generation;
        set => _generation = value;
    }

    /// <summary>
    /// Called by a worker between waking and looking at the published job (null in production): a test holds a worker
    /// here to stand for one that another process keeps off its core.
    /// </summary>
    internal Action? BeforeWorkerLooks { get; set; }

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
            Publish(work, count, helpers + 1);
            for (int i = 0; i < helpers; i++)
            {
                (_workers[i] ??= new Worker(this, i)).Start();
            }

            ExecuteItems(0);
            WaitForItems(count);
            Exception? failure = _failure;
            Publish(null, 0, 0);
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Makes a job (or, with null, the absence of one) visible to the workers as one consistent set of fields.</summary>
    private void Publish(IParallelWork? work, int count, int participants)
    {
        Interlocked.Increment(ref _sequence);
        if (work is not null)
        {
            if (_claims.Length < count)
            {
                _claims = new long[count];
            }

            if (++_generation <= 0)
            {
                // A claim holds the number of the job that made it, and never-claimed slots hold 0; should the numbers
                // ever come round, old claims are erased, or a stale one could match and its item be skipped.
                Array.Clear(_claims);
                _generation = 1;
            }

            _completed = 0;
            _failure = null;
        }

        _work = work;
        _count = count;
        _participants = participants;
        Interlocked.Increment(ref _sequence);
    }

    /// <summary>Returns once <paramref name="count"/> items have finished: spins, then blocks until the last one signals.</summary>
    private void WaitForItems(int count)
    {
        while (Volatile.Read(ref _completed) < count)
        {
            // A signal the previous job's last item gave after its caller had already seen it finish is cleared here;
            // the counter, read again after the reset, decides.
            _done.Reset();
            if (Volatile.Read(ref _completed) >= count)
            {
                return;
            }

            WaitFor(_done);
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

    /// <summary>The items dealt to participant <paramref name="slot"/>, then any left unclaimed, of the job published now.</summary>
    private void ExecuteItems(int slot)
    {
        IParallelWork? work;
        int count, participants;
        long generation;
        long[] claims;
        var spinner = default(SpinWait);
        while (true)
        {
            int sequence = Volatile.Read(ref _sequence);
            work = Volatile.Read(ref _work);
            count = Volatile.Read(ref _count);
            participants = Volatile.Read(ref _participants);
            generation = Volatile.Read(ref _generation);
            claims = Volatile.Read(ref _claims);
            if ((sequence & 1) == 0 && Volatile.Read(ref _sequence) == sequence)
            {
                break;
            }

            spinner.SpinOnce(-1);
        }

        if (work is null)
        {
            return;
        }

        for (int i = slot; i < count; i += participants)
        {
            TryExecute(work, claims, i, generation, count);
        }

        for (int i = 0; i < count; i++)
        {
            if (Volatile.Read(ref claims[i]) < generation)
            {
                TryExecute(work, claims, i, generation, count);
            }
        }
    }

    /// <summary>
    /// Runs item <paramref name="index"/> unless it is claimed already: by this job (another thread runs it) or by a
    /// later one (this thread woke after its job had finished and holds a stale copy of it).
    /// </summary>
    private void TryExecute(IParallelWork work, long[] claims, int index, long generation, int count)
    {
        long claim = Volatile.Read(ref claims[index]);
        while (claim < generation)
        {
            long seen = Interlocked.CompareExchange(ref claims[index], generation, claim);
            if (seen == claim)
            {
                Execute(work, index, count);
                return;
            }

            claim = seen;
        }
    }

    private void Execute(IParallelWork work, int index, int count)
    {
        try
        {
            work.Execute(index);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }

        if (Interlocked.Increment(ref _completed) == count)
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
                _pool.BeforeWorkerLooks?.Invoke();
                _pool.ExecuteItems(_slot);
            }
        }
    }
}

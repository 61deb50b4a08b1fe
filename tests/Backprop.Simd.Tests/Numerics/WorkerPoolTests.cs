using Backprop.Simd.Numerics.Threading;

namespace Backprop.Simd.Tests.Numerics;

/// <summary>
/// The worker pool deals items statically and lets idle threads take unclaimed ones: whatever the interleaving, every
/// item must run exactly once per job, a failure must reach the caller, and nested or concurrent jobs must complete.
/// </summary>
public sealed class WorkerPoolTests
{
    [Fact]
    public void Every_item_runs_exactly_once_for_any_count_and_thread_count()
    {
        foreach (int threads in new[] { 1, 2, 3, 5 })
        {
            foreach (int count in new[] { 1, 2, 3, 7, 16, 61 })
            {
                for (int repeat = 0; repeat < 20; repeat++)
                {
                    var work = new CountingWork(count);
                    WorkerPool.Shared.Run(work, count, threads);
                    for (int i = 0; i < count; i++)
                    {
                        Assert.True(work.Runs[i] == 1, $"threads={threads} count={count}: item {i} ran {work.Runs[i]} times.");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_failing_item_reaches_the_caller_and_the_pool_keeps_working()
    {
        var failing = new FailingWork(failAt: 3);
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => WorkerPool.Shared.Run(failing, 8, 2));
        Assert.Equal("item 3", ex.Message);

        var work = new CountingWork(8);
        WorkerPool.Shared.Run(work, 8, 2);
        Assert.All(work.Runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public async Task Nested_and_concurrent_jobs_complete_with_every_item_once()
    {
        var outer = new NestedWork(inner: 5);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => WorkerPool.Shared.Run(outer, 6, 2))));
        Assert.Equal(4 * 6, outer.OuterRuns);
        Assert.Equal(4 * 6 * 5, outer.InnerRuns);
    }

    [Fact]
    public void Items_still_run_once_each_when_the_job_generation_wraps_around()
    {
        // A private pool, so that moving its generation cannot disturb other tests' jobs on the shared one.
        var pool = new WorkerPool(1);
        pool.Run(new CountingWork(2), 2, 2);
        foreach (int count in new[] { 5, 3, 7 })
        {
            // The next job's generation would be 0: the value that fresh (never claimed) slots hold.
            pool.LastGeneration = -1;
            var work = new CountingWork(count);
            pool.Run(work, count, 2);
            Assert.All(work.Runs, r => Assert.Equal(1, r));
            Assert.True(pool.LastGeneration > 0);
        }
    }

    [Fact]
    public async Task The_caller_runs_every_item_itself_while_a_worker_is_kept_off_its_core()
    {
        // The worker is held between waking and looking at the job, as when another process holds its core: the
        // caller must finish the whole job alone instead of waiting for it.
        var pool = new WorkerPool(1);

        // Not disposed: the worker thread may still be about to wait on it when the test ends.
        var gate = new ManualResetEventSlim(false);
        pool.BeforeWorkerLooks = () => gate.Wait();
        for (int job = 0; job < 3; job++)
        {
            var work = new ThreadRecordingWork(8);
            int caller = 0;
            Task run = Task.Run(() =>
            {
                caller = Environment.CurrentManagedThreadId;
                pool.Run(work, 8, 2);
            });

            // A pool that waits for the held worker never returns: time out instead of hanging the test run.
            await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(work.Threads, t => Assert.Equal(caller, t));
        }

        // Released, the worker sees only finished jobs and runs nothing of them; later jobs still run each item once.
        var earlier = new CountingWork(8);
        pool.Run(earlier, 8, 2);
        pool.BeforeWorkerLooks = null;
        gate.Set();
        for (int job = 0; job < 200; job++)
        {
            var work = new CountingWork(5);
            pool.Run(work, 5, 2);
            Assert.All(work.Runs, r => Assert.Equal(1, r));
        }

        Assert.All(earlier.Runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void Workers_that_wake_late_never_run_an_item_twice_or_one_of_a_finished_job()
    {
        var pool = new WorkerPool(2);
        var random = new Random(7);
        pool.BeforeWorkerLooks = () =>
        {
            int delay;
            lock (random)
            {
                delay = random.Next(4);
            }

            if (delay > 0)
            {
                Thread.Sleep(delay - 1);
            }
        };
        var jobs = new List<CountingWork>();
        for (int job = 0; job < 300; job++)
        {
            int count = 1 + (job % 9);
            var work = new CountingWork(count);
            jobs.Add(work);
            pool.Run(work, count, 3);
            Assert.All(work.Runs, r => Assert.Equal(1, r));
        }

        pool.BeforeWorkerLooks = null;
        Thread.Sleep(20);
        Assert.All(jobs, w => Assert.All(w.Runs, r => Assert.Equal(1, r)));
    }

    [Fact]
    public void The_caller_waits_for_an_item_a_worker_has_started()
    {
        var pool = new WorkerPool(1);
        var work = new SlowItemWork(count: 2, slowItem: 1);
        pool.Run(work, 2, 2);
        Assert.Equal(2, work.Finished);
    }

    private sealed class ThreadRecordingWork(int count) : IParallelWork
    {
        public int[] Threads { get; } = new int[count];

        public void Execute(int index) => Threads[index] = Environment.CurrentManagedThreadId;
    }

    private sealed class SlowItemWork(int count, int slowItem) : IParallelWork
    {
        private int _finished;

        public int Finished => Volatile.Read(ref _finished);

        public void Execute(int index)
        {
            if (index == slowItem && count > 1)
            {
                Thread.Sleep(30);
            }

            Interlocked.Increment(ref _finished);
        }
    }

    private sealed class CountingWork(int count) : IParallelWork
    {
        public int[] Runs { get; } = new int[count];

        public void Execute(int index) => Interlocked.Increment(ref Runs[index]);
    }

    private sealed class FailingWork(int failAt) : IParallelWork
    {
        public void Execute(int index)
        {
            if (index == failAt)
            {
                throw new InvalidOperationException($"item {index}");
            }
        }
    }

    private sealed class NestedWork(int inner) : IParallelWork
    {
        private int _outerRuns;
        private int _innerRuns;

        public int OuterRuns => Volatile.Read(ref _outerRuns);

        public int InnerRuns => Volatile.Read(ref _innerRuns);

        public void Execute(int index)
        {
            Interlocked.Increment(ref _outerRuns);
            WorkerPool.Shared.Run(new InnerWork(this), inner, 2);
        }

        private sealed class InnerWork(NestedWork owner) : IParallelWork
        {
            public void Execute(int index) => Interlocked.Increment(ref owner._innerRuns);
        }
    }
}

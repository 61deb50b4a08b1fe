// The commands share the library's worker pool and write whole runs of output; one at a time keeps each test's
// output its own and the timings of the suite predictable on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

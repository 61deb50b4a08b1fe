using System.Numerics;
using System.Runtime.CompilerServices;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Serialization;

/// <summary>
/// The optional CKPT section: a <see cref="TrainingCheckpoint"/>.
/// <code>
/// training options (see TrainingOptionsCodec)
/// optimizer   version 2: string name, f64 learning rate, i32 hyperparameter count, per hyperparameter string name and
///             f64 value, i64 step count, i32 state values per parameter,
///             i64 state length (0, or state values per parameter × parameter count), state (T)
///             version 1: u8 kind (1 SGD, 2 Adam), f64 learning rate,
///             SGD: f64 momentum, u8 Nesterov | Adam: f64 β₁, f64 β₂, f64 ε, f64 weight decay,
///             i64 step count, i64 state length, state (T)
/// trainer     i32 epochs completed, i64 steps completed, 4 × u64 shuffle generator state,
///             i32 sample order length, the sample order (i32, a permutation of 0..length-1)
/// history     i32 epochs, per epoch i32 epoch number and 7 × f64 (EpochMetrics in order), u8 stopped early, i32 best epoch
/// </code>
/// </summary>
internal static class CheckpointSection
{
    // An EpochMetrics record: i32 epoch and seven f64.
    private const int EpochRecordLength = 4 + (7 * 8);

    /// <summary>Writes the section; <see cref="SavedModel{T}.Checkpoint"/> has checked that the state fits the network.</summary>
    /// <exception cref="ArgumentException">The schedule cannot be stored.</exception>
    public static void Write<T>(ModelWriter writer, TrainingCheckpoint checkpoint)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        OptimizerSnapshot optimizer = checkpoint.Optimizer;
        writer.WriteUInt32(ModelFormat.Checkpoint);
        TrainingOptionsCodec.Write(writer, checkpoint.Options);
        writer.WriteString(optimizer.Name, "optimizer name");
        writer.WriteDouble(optimizer.LearningRate);
        writer.WriteInt32(optimizer.Hyperparameters.Count);
        foreach ((string name, double value) in optimizer.Hyperparameters)
        {
            writer.WriteString(name, "optimizer's hyperparameter name");
            writer.WriteDouble(value);
        }

        writer.WriteInt64(optimizer.StepCount);
        writer.WriteInt32(optimizer.StatePerParameter);
        writer.WriteInt64(optimizer.StateLength);
        writer.WriteValues<T>(optimizer.GetState<T>());

        writer.WriteInt32(checkpoint.EpochsCompleted);
        writer.WriteInt64(checkpoint.StepsCompleted);
        writer.WriteValues(checkpoint.ShuffleState);
        writer.WriteInt32(checkpoint.SampleOrder.Length);
        writer.WriteValues(checkpoint.SampleOrder);

        TrainingHistory history = checkpoint.History;
        writer.WriteInt32(history.Count);
        foreach (EpochMetrics m in history)
        {
            writer.WriteInt32(m.Epoch);
            writer.WriteDouble(m.Loss);
            writer.WriteDouble(m.DataLoss);
            writer.WriteDouble(m.ValidationLoss);
            writer.WriteDouble(m.ValidationAccuracy);
            writer.WriteDouble(m.GradientNorm);
            writer.WriteDouble(m.LearningRate);
            writer.WriteDouble(m.Seconds);
        }

        writer.WriteBoolean(history.StoppedEarly);
        writer.WriteInt32(history.BestEpoch);
    }

    /// <summary>Reads the section after its tag. Without <paramref name="keepState"/> the optimizer state is checksummed and skipped (for a summary).</summary>
    public static TrainingCheckpoint Read<T>(ModelReader reader, int parameterCount, bool keepState)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TrainingOptions options = TrainingOptionsCodec.Read(reader);
        OptimizerSnapshot optimizer = ReadOptimizer<T>(reader, parameterCount, keepState);

        int epochs = reader.ReadInt32("the epochs completed", 0, int.MaxValue);
        long stepsOffset = reader.Position;
        long steps = reader.ReadInt64("the steps completed");
        if (steps < 0)
        {
            throw reader.Fail(stepsOffset, $"the steps completed are {steps}; they cannot be negative");
        }

        long shuffleOffset = reader.Position;
        var shuffleState = new ulong[SeededRandom.StateLength];
        reader.ReadValues<ulong>(shuffleState, "the shuffle generator's state");
        if (Array.TrueForAll(shuffleState, word => word == 0))
        {
            throw reader.Fail(shuffleOffset, "the shuffle generator's state is all zero, which xoshiro256** never reaches");
        }

        int[] order = ReadSampleOrder(reader);
        TrainingHistory history = ReadHistory(reader, epochs);
        return new TrainingCheckpoint(optimizer, options, epochs, steps, shuffleState, order, history);
    }

    private static OptimizerSnapshot ReadOptimizer<T>(ModelReader reader, int parameterCount, bool keepState)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long offset = reader.Position;
        OptimizerSnapshot snapshot = reader.Version == 1 ? ReadVersion1Optimizer(reader) : ReadNamedOptimizer(reader);

        // A registered optimizer is rebuilt to check its hyperparameters with its own rules; one registered nowhere
        // here loads all the same (for its weights), and resuming it asks for its factory.
        if (OptimizerRegistry.TryGetFactory(snapshot.Name, out _))
        {
            try
            {
                snapshot.Describe();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw reader.Fail(offset, $"the optimizer is invalid: {e.Message}");
            }
        }

        long lengthOffset = reader.Position;
        long length = reader.ReadInt64("the optimizer state length");
        long expected = (long)snapshot.StatePerParameter * parameterCount;
        if (length != 0 && length != expected)
        {
            throw reader.Fail(lengthOffset, $"the optimizer state length is {length}; {snapshot.Describe()} keeps 0 (before its first step) or {expected} values for {parameterCount} parameters");
        }

        long bytes = length * Unsafe.SizeOf<T>();
        if (bytes > reader.Remaining)
        {
            throw reader.Fail(lengthOffset, $"the optimizer state of {length} values needs {bytes} bytes but only {reader.Remaining} remain before the checksum");
        }

        if (!keepState)
        {
            reader.Skip(bytes, "the optimizer state");
            return snapshot;
        }

        var state = new T[length];
        reader.ReadValues<T>(state, "the optimizer state");
        return snapshot.WithState(state);
    }

    /// <summary>Version 2: the optimizer's name, learning rate, named hyperparameters, step count and state size, as it describes itself.</summary>
    private static OptimizerSnapshot ReadNamedOptimizer(ModelReader reader)
    {
        string name = reader.ReadString("the optimizer name");
        if (name.Length == 0)
        {
            throw reader.Fail(reader.Position - 4, "the optimizer name is empty");
        }

        double learningRate = reader.ReadDouble("the learning rate");
        // A hyperparameter takes at least a length, one byte of name and a value.
        int count = reader.ReadCount("the optimizer's hyperparameter count", 4 + 1 + 8);
        var hyperparameters = new KeyValuePair<string, double>[count];
        for (int i = 0; i < count; i++)
        {
            long offset = reader.Position;
            string key = reader.ReadString($"the name of hyperparameter {i}");
            if (key.Length == 0 || hyperparameters.AsSpan(0, i).ToArray().Any(h => h.Key == key))
            {
                throw reader.Fail(offset, key.Length == 0 ? $"hyperparameter {i} has no name" : $"the hyperparameter '{key}' appears twice");
            }

            hyperparameters[i] = new(key, reader.ReadDouble($"the hyperparameter '{key}'"));
        }

        long steps = ReadStepCount(reader);
        int perParameter = reader.ReadInt32("the optimizer's state values per parameter", 0, 64);
        return new OptimizerSnapshot(name, learningRate, hyperparameters, perParameter, steps, Array.Empty<byte>());
    }

    /// <summary>Version 1: a kind byte and the fields of SGD or Adam, read into the names those optimizers give them.</summary>
    private static OptimizerSnapshot ReadVersion1Optimizer(ModelReader reader)
    {
        long offset = reader.Position;
        byte kind = reader.ReadByte("the optimizer kind");
        if (kind is not (1 or 2))
        {
            throw reader.Fail(offset, $"the optimizer kind is {kind}; format version 1 defines 1 (SGD) and 2 (Adam)");
        }

        double learningRate = reader.ReadDouble("the learning rate");
        KeyValuePair<string, double>[] hyperparameters = kind == 1
            ? [new("momentum", reader.ReadDouble("the momentum")), new("nesterov", reader.ReadBoolean("the Nesterov flag") ? 1 : 0)]
            : [new("beta1", reader.ReadDouble("β₁")), new("beta2", reader.ReadDouble("β₂")), new("epsilon", reader.ReadDouble("ε")), new("weight_decay", reader.ReadDouble("the weight decay"))];
        long steps = ReadStepCount(reader);
        int perParameter = kind == 2 ? 2 : hyperparameters[0].Value == 0 ? 0 : 1;
        return new OptimizerSnapshot(kind == 1 ? "sgd" : "adam", learningRate, hyperparameters, perParameter, steps, Array.Empty<byte>());
    }

    private static long ReadStepCount(ModelReader reader)
    {
        long offset = reader.Position;
        long steps = reader.ReadInt64("the optimizer's step count");
        return steps >= 0 ? steps : throw reader.Fail(offset, $"the optimizer's step count is {steps}; it cannot be negative");
    }

    private static int[] ReadSampleOrder(ModelReader reader)
    {
        int length = reader.ReadCount("the sample order length", sizeof(int));
        long offset = reader.Position;
        var order = new int[length];
        reader.ReadValues<int>(order, "the sample order");
        var seen = new bool[length];
        for (int i = 0; i < length; i++)
        {
            int sample = order[i];
            if ((uint)sample >= (uint)length || seen[sample])
            {
                throw reader.Fail(offset + (4L * i), $"the sample order is not a permutation of 0..{length - 1}: entry {i} is {sample}");
            }

            seen[sample] = true;
        }

        return order;
    }

    private static TrainingHistory ReadHistory(ModelReader reader, int epochs)
    {
        long countOffset = reader.Position;
        int count = reader.ReadCount("the history's epoch count", EpochRecordLength);
        if (count != epochs)
        {
            throw reader.Fail(countOffset, $"the history holds {count} epochs but {epochs} were completed");
        }

        var history = new TrainingHistory();
        for (int i = 0; i < count; i++)
        {
            long offset = reader.Position;
            int epoch = reader.ReadInt32($"the number of history epoch {i}");
            if (epoch != i + 1)
            {
                throw reader.Fail(offset, $"history entry {i} is numbered {epoch}; epochs count from 1 without gaps");
            }

            history.Add(new EpochMetrics(
                epoch,
                reader.ReadDouble("a loss"),
                reader.ReadDouble("a data loss"),
                reader.ReadDouble("a validation loss"),
                reader.ReadDouble("a validation accuracy"),
                reader.ReadDouble("a gradient norm"),
                reader.ReadDouble("a learning rate"),
                reader.ReadDouble("a duration")));
        }

        history.StoppedEarly = reader.ReadBoolean("the stopped-early flag");
        history.BestEpoch = reader.ReadInt32("the best epoch", 0, count);
        return history;
    }
}

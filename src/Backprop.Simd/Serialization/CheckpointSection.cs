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
/// optimizer   u8 kind (1 SGD, 2 Adam), f64 learning rate,
///             SGD: f64 momentum, u8 Nesterov | Adam: f64 β₁, f64 β₂, f64 ε, f64 weight decay,
///             i64 step count, i64 state length (0, or state values per parameter × parameter count), state (T)
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
        writer.WriteByte((byte)optimizer.Kind);
        writer.WriteDouble(optimizer.LearningRate);
        if (optimizer.Kind == OptimizerSnapshotKind.Sgd)
        {
            writer.WriteDouble(optimizer.Momentum);
            writer.WriteBoolean(optimizer.Nesterov);
        }
        else
        {
            writer.WriteDouble(optimizer.Beta1);
            writer.WriteDouble(optimizer.Beta2);
            writer.WriteDouble(optimizer.Epsilon);
            writer.WriteDouble(optimizer.WeightDecay);
        }

        writer.WriteInt64(optimizer.StepCount);
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
        var kind = (OptimizerSnapshotKind)reader.ReadByte("the optimizer kind");
        if (kind is not (OptimizerSnapshotKind.Sgd or OptimizerSnapshotKind.Adam))
        {
            throw reader.Fail(offset, $"the optimizer kind is {(byte)kind}; format version {ModelFile.FormatVersion} defines 1 (SGD) and 2 (Adam)");
        }

        double learningRate = reader.ReadDouble("the learning rate");
        bool sgd = kind == OptimizerSnapshotKind.Sgd;
        double momentum = sgd ? reader.ReadDouble("the momentum") : 0;
        bool nesterov = sgd && reader.ReadBoolean("the Nesterov flag");
        double beta1 = sgd ? 0 : reader.ReadDouble("β₁");
        double beta2 = sgd ? 0 : reader.ReadDouble("β₂");
        double epsilon = sgd ? 0 : reader.ReadDouble("ε");
        double weightDecay = sgd ? 0 : reader.ReadDouble("the weight decay");
        long stepsOffset = reader.Position;
        long steps = reader.ReadInt64("the optimizer's step count");
        if (steps < 0)
        {
            throw reader.Fail(stepsOffset, $"the optimizer's step count is {steps}; it cannot be negative");
        }

        // Building the optimizer checks the hyperparameters with the constructors' own rules.
        var snapshot = new OptimizerSnapshot(kind, learningRate, momentum, nesterov, beta1, beta2, epsilon, weightDecay, steps, Array.Empty<T>());
        int perParameter;
        try
        {
            perParameter = snapshot.StatePerParameter;
        }
        catch (ArgumentException e)
        {
            throw reader.Fail(offset, $"the optimizer is invalid: {e.Message}");
        }

        long lengthOffset = reader.Position;
        long length = reader.ReadInt64("the optimizer state length");
        long expected = (long)perParameter * parameterCount;
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

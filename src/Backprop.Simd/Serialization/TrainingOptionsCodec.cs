using Backprop.Simd.Losses;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Training;

namespace Backprop.Simd.Serialization;

/// <summary>
/// The training options inside a checkpoint section:
/// <code>
/// i32 epochs, i32 batch size, i32 batch count, u8 shuffle, u64 seed, i32 shards, i32 max degree of parallelism,
/// u8 reduction (0 mean, 1 sum), f64 L1, f64 L2, u8 regularize biases, f64 validation fraction, i32 patience,
/// u8 schedule: 0 constant | 1 step: i32 step epochs, f64 gamma | 2 cosine: i32 epochs, f64 minimum factor
/// </code>
/// <see cref="TrainingOptions.RecordSteps"/> is not stored: it asks for a diagnostic of one run, not for training
/// state, and what it records is left out of the history's record too.
/// </summary>
internal static class TrainingOptionsCodec
{
    private const byte ConstantSchedule = 0;
    private const byte StepSchedule = 1;
    private const byte CosineSchedule = 2;

    /// <exception cref="ArgumentException">The schedule is not a built-in one, so it cannot be stored.</exception>
    public static void Write(ModelWriter writer, TrainingOptions options)
    {
        writer.WriteInt32(options.Epochs);
        writer.WriteInt32(options.BatchSize);
        writer.WriteInt32(options.BatchCount);
        writer.WriteBoolean(options.Shuffle);
        writer.WriteUInt64(options.Seed);
        writer.WriteInt32(options.Shards);
        writer.WriteInt32(options.MaxDegreeOfParallelism);
        writer.WriteByte((byte)options.Reduction);
        writer.WriteDouble(options.L1);
        writer.WriteDouble(options.L2);
        writer.WriteBoolean(options.RegularizeBiases);
        writer.WriteDouble(options.ValidationFraction);
        writer.WriteInt32(options.EarlyStoppingPatience);
        switch (options.Schedule)
        {
            case LearningRateSchedule.StepSchedule step:
                writer.WriteByte(StepSchedule);
                writer.WriteInt32(step.StepEpochs);
                writer.WriteDouble(step.Gamma);
                break;
            case LearningRateSchedule.CosineSchedule cosine:
                writer.WriteByte(CosineSchedule);
                writer.WriteInt32(cosine.Epochs);
                writer.WriteDouble(cosine.MinimumFactor);
                break;
            case LearningRateSchedule schedule when ReferenceEquals(schedule, LearningRateSchedule.Constant):
                writer.WriteByte(ConstantSchedule);
                break;
            default:
                throw new ArgumentException(
                    $"The checkpoint's learning-rate schedule '{options.Schedule.Description}' ({options.Schedule.GetType().Name}) cannot be saved: a model file stores only the built-in Constant, Step, Exponential and Cosine schedules.");
        }
    }

    /// <summary>Reads the options and checks them as <see cref="TrainingOptions.Validate"/> does.</summary>
    public static TrainingOptions Read(ModelReader reader)
    {
        long offset = reader.Position;
        var options = new TrainingOptions
        {
            Epochs = reader.ReadInt32("the epochs per Fit call"),
            BatchSize = reader.ReadInt32("the batch size"),
            BatchCount = reader.ReadInt32("the batch count"),
            Shuffle = reader.ReadBoolean("the shuffle flag"),
            Seed = reader.ReadUInt64("the seed"),
            Shards = reader.ReadInt32("the shard count"),
            MaxDegreeOfParallelism = reader.ReadInt32("the maximum degree of parallelism"),
            Reduction = (Reduction)reader.ReadByte("the reduction", (byte)Reduction.Sum),
            L1 = reader.ReadDouble("L1"),
            L2 = reader.ReadDouble("L2"),
            RegularizeBiases = reader.ReadBoolean("the regularize-biases flag"),
            ValidationFraction = reader.ReadDouble("the validation fraction"),
            EarlyStoppingPatience = reader.ReadInt32("the early-stopping patience"),
        };

        long scheduleOffset = reader.Position;
        byte schedule = reader.ReadByte("the learning-rate schedule");
        try
        {
            options.Schedule = schedule switch
            {
                ConstantSchedule => LearningRateSchedule.Constant,
                StepSchedule => LearningRateSchedule.Step(reader.ReadInt32("the schedule's step epochs"), reader.ReadDouble("the schedule's gamma")),
                CosineSchedule => LearningRateSchedule.Cosine(reader.ReadInt32("the schedule's epochs"), reader.ReadDouble("the schedule's minimum factor")),
                _ => throw reader.Fail(scheduleOffset, $"the learning-rate schedule has kind {schedule}; format version {reader.Version} defines 0 (constant), 1 (step) and 2 (cosine)"),
            };
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw reader.Fail(offset, $"the training options are invalid: {e.Message}");
        }

        return options;
    }
}

using System.Numerics;
using Backprop.Simd.Data;

namespace Backprop.Simd.Serialization;

/// <summary>The optional NORM section: the input standardisation, a mean and a standard deviation per input feature.</summary>
internal static class NormalizationSection
{
    public static void Write<T>(ModelWriter writer, Standardizer<T> normalization)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteUInt32(ModelFormat.Normalization);
        writer.WriteInt32(normalization.FeatureCount);
        writer.WriteValues(normalization.Mean);
        writer.WriteValues(normalization.StandardDeviation);
    }

    /// <summary>Reads the section after its tag; checks the feature count and every value as <see cref="Standardizer{T}"/> would.</summary>
    public static Standardizer<T> Read<T>(ModelReader reader, int inputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        long countOffset = reader.Position;
        int count = reader.ReadCount("the normalisation's feature count", 2 * size);
        if (count != inputSize)
        {
            throw reader.Fail(countOffset, $"the normalisation has {count} features but the network takes {inputSize}");
        }

        long meanOffset = reader.Position;
        var mean = new T[count];
        reader.ReadValues<T>(mean, "the normalisation's means");
        long deviationOffset = reader.Position;
        var deviation = new T[count];
        reader.ReadValues<T>(deviation, "the normalisation's standard deviations");
        for (int j = 0; j < count; j++)
        {
            if (!T.IsFinite(mean[j]))
            {
                throw reader.Fail(meanOffset + ((long)j * size), $"the normalisation's mean of feature {j} is {mean[j]}; it must be finite");
            }

            if (!T.IsFinite(deviation[j]) || T.IsNegative(deviation[j]))
            {
                throw reader.Fail(deviationOffset + ((long)j * size), $"the normalisation's standard deviation of feature {j} is {deviation[j]}; it must be finite and not negative");
            }
        }

        return new Standardizer<T>(mean, deviation);
    }
}

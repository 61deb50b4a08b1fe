using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Training;

namespace Backprop.Simd.Serialization;

/// <summary>
/// What a model file holds: the network (architecture and weights), the input standardisation it was trained with,
/// optionally a <see cref="TrainingCheckpoint"/> to resume training, and string metadata. Write it with
/// <see cref="ModelFile.Save{T}(string, SavedModel{T})"/> and read it back with <see cref="ModelFile.Load{T}(string)"/>:
/// <code>
/// var model = new SavedModel&lt;float&gt;(network, standardizer) { Checkpoint = trainer.CreateCheckpoint() };
/// model.Metadata["dataset"] = "fashion-mnist";
/// ModelFile.Save("fashion.bpm", model);
/// </code>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class SavedModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Standardizer<T>? _normalization;
    private readonly TrainingCheckpoint? _checkpoint;

    /// <summary>Creates a model from a network and the standardisation of its inputs.</summary>
    /// <param name="network">The network (not copied: the model refers to it).</param>
    /// <param name="normalization">The standardizer fitted on the training inputs, or null if the inputs are used as they are.</param>
    /// <exception cref="ArgumentException">The standardizer's feature count differs from the network's input size.</exception>
    public SavedModel(Network<T> network, Standardizer<T>? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        Normalization = normalization;
    }

    /// <summary>The network.</summary>
    public Network<T> Network { get; }

    /// <summary>The standardisation applied to inputs before the network (by <see cref="Predict"/>); null for none.</summary>
    /// <exception cref="ArgumentException">The standardizer's feature count differs from the network's input size.</exception>
    public Standardizer<T>? Normalization
    {
        get => _normalization;
        init
        {
            if (value is not null && value.FeatureCount != Network.InputSize)
            {
                throw new ArgumentException($"The standardizer has {value.FeatureCount} features but the network takes {Network.InputSize}.", nameof(value));
            }

            _normalization = value;
        }
    }

    /// <summary>The state to resume training from (see <see cref="Trainer{T}.Resume"/>); null for a model saved for inference only.</summary>
    /// <exception cref="ArgumentException">The checkpoint's optimizer state is sized for a different parameter count.</exception>
    public TrainingCheckpoint? Checkpoint
    {
        get => _checkpoint;
        init
        {
            if (value is not null && value.Optimizer.StateLength != 0 && value.Optimizer.StateLength != (long)value.Optimizer.StatePerParameter * Network.ParameterCount)
            {
                throw new ArgumentException(
                    $"The checkpoint's optimizer state holds {value.Optimizer.StateLength} values, which does not fit the network's {Network.ParameterCount} parameters; it was taken from another network.",
                    nameof(value));
            }

            _checkpoint = value;
        }
    }

    /// <summary>
    /// String metadata in insertion order, saved with the model: a classifier's class names, image shape, input scaling
    /// and loss (read and written by <see cref="Models.ClassifierMetadata"/>), the data set and the like.
    /// </summary>
    public IDictionary<string, string> Metadata { get; } = new OrderedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Predicts a batch as the model was trained: standardises the inputs with <see cref="Normalization"/>, if any, then runs the network.</summary>
    /// <param name="inputs">Raw inputs, [batch x input size].</param>
    /// <returns>The outputs, [batch x output size].</returns>
    /// <exception cref="ArgumentException">The inputs do not have the network's input size as columns.</exception>
    public Matrix<T> Predict(Matrix<T> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Network.Predict(Normalization is null ? inputs : Normalization.Transform(inputs));
    }
}

using Backprop.Simd.Data;
using Backprop.Simd.Models;
using Backprop.Simd.Tests.Infrastructure;

namespace Backprop.Simd.Tests.Data;

/// <summary>A label outside the declared classes is refused where it enters, naming its index, never widened into more classes.</summary>
[Trait("Category", "Data")]
public sealed class LabelRangeTests
{
    [Fact]
    public void An_idx_label_beyond_the_class_count_is_refused_naming_its_index()
    {
        byte[] images = DataTestFiles.Encode([4, 2, 2], new byte[16]);
        byte[] labels = DataTestFiles.Encode([4], [0, 9, 200, 1]);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Dataset<float>.LoadIdx(new MemoryStream(images), new MemoryStream(labels), 10));

        Assert.Equal("labels stream: label 200 at index 2 (byte offset 10 of the IDX content) is not below the class count 10.", e.Message);
    }

    [Fact]
    public void A_classifier_with_a_class_count_refuses_a_label_outside_it_naming_its_index()
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(30, 5, 3, seed: 2);
        int[] labels = [.. data.Labels];
        labels[7] = 3;
        var classifier = new MlpClassifier<float>(new MlpClassifierOptions { HiddenLayers = [4], ClassCount = 3, Training = { Epochs = 1 } });

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Fit(data.Inputs, labels));

        Assert.Contains("Label 3 at index 7 is outside [0, 3).", e.Message, StringComparison.Ordinal);
        Assert.False(classifier.IsFitted);
    }
}

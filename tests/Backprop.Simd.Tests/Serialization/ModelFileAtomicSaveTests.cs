using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Tests.Serialization;

/// <summary>
/// Saving to a path is atomic: while it runs the old file stays whole and in place, a save that fails at any byte
/// leaves the old file untouched and no temporary file behind, and a model that cannot be saved fails before any
/// file is created.
/// </summary>
[Trait("Category", "Serialization")]
public sealed class ModelFileAtomicSaveTests : IDisposable
{
    private readonly string _directory = ModelTestData.CreateTemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Saving_replaces_an_existing_file_and_leaves_nothing_else()
    {
        string path = Path.Combine(_directory, "model.bpm");
        ModelFile.Save(path, ModelTestData.FullModel<float>());
        SavedModel<float> second = ModelTestData.FullModel<float>("relu-dropout-leaky-sigmoid", seed: 2);
        ModelFile.Save(path, second);

        Assert.Equal(ModelTestData.Encode(second), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory).AsEnumerable());
    }

    [Fact]
    public void A_save_failing_at_any_point_leaves_the_old_file_and_no_temporary()
    {
        string path = Path.Combine(_directory, "model.bpm");
        ModelFile.Save(path, ModelTestData.FullModel<double>());
        byte[] old = File.ReadAllBytes(path);
        SavedModel<double> replacement = ModelTestData.FullModel<double>("tanh-softmax", seed: 3);
        int length = ModelTestData.Encode(replacement).Length;

        foreach (long failAt in (long[])[0, 1, 23, 24, length / 2, length - 4, length - 1, length])
        {
            IOException e = Assert.Throws<IOException>(() => ModelFile.Save(path, replacement, stream => new FailingStream(stream, failAt, () => old.AsSpan().SequenceEqual(File.ReadAllBytes(path)))));
            Assert.Contains("simulated", e.Message, StringComparison.Ordinal);
            Assert.Equal(old, File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(_directory).AsEnumerable());
        }
    }

    [Fact]
    public void While_a_save_runs_the_target_holds_the_complete_old_file()
    {
        string path = Path.Combine(_directory, "model.bpm");
        ModelFile.Save(path, ModelTestData.FullModel<float>());
        byte[] old = File.ReadAllBytes(path);
        int checks = 0;
        SavedModel<float> replacement = ModelTestData.FullModel<float>("single-dense", seed: 4);

        ModelFile.Save(path, replacement, stream => new FailingStream(stream, long.MaxValue, () =>
        {
            checks++;
            return old.AsSpan().SequenceEqual(File.ReadAllBytes(path));
        }));

        Assert.True(checks > 10, $"{checks} checks.");
        Assert.Equal(ModelTestData.Encode(replacement), File.ReadAllBytes(path));
    }

    [Fact]
    public void A_failed_first_save_creates_no_file()
    {
        string path = Path.Combine(_directory, "new.bpm");
        Assert.Throws<IOException>(() => ModelFile.Save(path, ModelTestData.FullModel<float>(), stream => new FailingStream(stream, 100, () => !File.Exists(path))));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void An_unsavable_model_fails_before_touching_the_disk()
    {
        string path = Path.Combine(_directory, "model.bpm");
        ModelFile.Save(path, ModelTestData.FullModel<float>());
        byte[] old = File.ReadAllBytes(path);
        var network = new Network<float>([new Dense<float>(new Matrix<float>(4, 3), new float[3]), new PassThrough(3), new Sigmoid<float>(3)]);

        ArgumentException e = Assert.Throws<ArgumentException>(() => ModelFile.Save(path, new SavedModel<float>(network)));
        Assert.Contains("Layer 1 (PassThrough(3), a PassThrough) cannot be saved: a model file stores only the built-in layers", e.Message, StringComparison.Ordinal);
        Assert.Equal("model", e.ParamName);
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory).AsEnumerable());

        var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => ModelFile.Save(stream, new SavedModel<float>(network)));
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Unencodable_metadata_fails_before_touching_the_disk()
    {
        string path = Path.Combine(_directory, "model.bpm");
        SavedModel<float> model = ModelTestData.FullModel<float>();
        model.Metadata["broken"] = "lone \uD800 surrogate";

        ArgumentException e = Assert.Throws<ArgumentException>(() => ModelFile.Save(path, model));
        Assert.Contains("The value of metadata key 'broken' holds an unpaired surrogate at index 5", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_missing_directory_is_reported_and_nothing_is_created()
    {
        string path = Path.Combine(_directory, "no", "such", "model.bpm");
        Assert.Throws<DirectoryNotFoundException>(() => ModelFile.Save(path, ModelTestData.FullModel<float>()));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    /// <summary>
    /// Passes writes through until <paramref name="failAt"/> bytes, then throws like a full disk; before every write
    /// it asks <paramref name="targetIntact"/> whether the target still holds what it should.
    /// </summary>
    private sealed class FailingStream(Stream inner, long failAt, Func<bool> targetIntact) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Assert.True(targetIntact(), $"The target changed during the save, after {_written} bytes.");
            int allowed = (int)Math.Min(buffer.Length, failAt - _written);
            inner.Write(buffer[..allowed]);
            _written += allowed;
            if (allowed < buffer.Length)
            {
                throw new IOException($"No space left on device (simulated after {_written} bytes).");
            }
        }

        public override void Flush()
        {
            if (_written >= failAt)
            {
                throw new IOException($"Flush failed (simulated after {_written} bytes).");
            }

            inner.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>A layer of the user's own, which the model format cannot store.</summary>
    private sealed class PassThrough(int size) : Layer<float>(size, size)
    {
        public override string Description => $"PassThrough({InputSize})";

        public override ReadOnlyMatrixSpan<float> Forward(ReadOnlyMatrixSpan<float> input, LayerContext<float> context) => input;

        public override ReadOnlyMatrixSpan<float> Backward(ReadOnlyMatrixSpan<float> input, ReadOnlyMatrixSpan<float> outputGradient, LayerContext<float> context) => outputGradient;

        protected internal override ReadOnlyMatrixSpan<float> LastOutput => default;

        protected internal override Layer<float> CreateReplica() => new PassThrough(InputSize);
    }
}

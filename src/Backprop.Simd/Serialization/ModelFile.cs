using System.Numerics;
using Backprop.Simd.IO;

namespace Backprop.Simd.Serialization;

/// <summary>
/// Saves and loads <see cref="SavedModel{T}"/>s in the library's versioned binary model format (layout in the
/// remarks of the format's source, <c>ModelFormat.cs</c>): magic, format version, element type, architecture,
/// weights, input standardisation, optional training checkpoint, metadata and a CRC-32C over everything.
/// </summary>
/// <remarks>
/// <para><b>Saving to a path is atomic.</b> The file is written under a temporary name in the same directory, flushed
/// to disk, and renamed over the target. A crash or kill at any moment leaves the old file or the new one, never a
/// mix; a save that fails deletes its temporary file and leaves the old file untouched, and the next save to the same
/// path removes what a killed save left. The model is checked before anything is written, so a model the format
/// cannot store (a custom layer type, a custom learning-rate schedule in its checkpoint) leaves no trace. Only a
/// regular file or a new name is saved to (a directory, device, FIFO or socket is refused); a symbolic link is
/// written through, replacing the file it points to.</para>
/// <para><b>Loading checks everything</b> before trusting it: magic, version (a newer file is refused with a message
/// that says so), element type, file length against the declared one, each layer's size against the previous one's,
/// every count against the bytes that remain (before allocating for it), every hyperparameter's range, the
/// checksum, and that nothing trails the file. Any corrupt, truncated or foreign file raises
/// <see cref="InvalidDataException"/> naming the file, the byte offset and the problem; I/O failures of the file or
/// stream itself propagate unchanged.</para>
/// <para>Files are little-endian, as the machines .NET runs this library on are.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this library writes, and the newest it reads (it reads every older one too).</summary>
    public const int FormatVersion = 2;

    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="path"/> atomically (see the remarks of <see cref="ModelFile"/>).
    /// The weights are copied once and written from the copy, so the file is always consistent; saved while another
    /// thread trains the network, that copy may fall between two steps' updates: save from a progress callback for a
    /// step boundary.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="path">The file; its directory must exist. An existing file is replaced only once the new one is complete.</param>
    /// <param name="model">The model.</param>
    /// <exception cref="ArgumentException">The model holds something the format cannot store (the message says what).</exception>
    /// <exception cref="IOException">The file cannot be written, is not a regular file, or its name leaves no room for the temporary name (<see cref="PathTooLongException"/>); the old file, if any, is unchanged.</exception>
    public static void Save<T>(string path, SavedModel<T> model)
        where T : unmanaged, IFloatingPointIeee754<T> => Save(path, model, static stream => stream);

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> at its current position (not atomic: a failure leaves what was written).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="stream">A writable stream; left open.</param>
    /// <param name="model">The model.</param>
    /// <exception cref="ArgumentException">The stream is not writable, or the model holds something the format cannot store; nothing was written.</exception>
    public static void Save<T>(Stream stream, SavedModel<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(model);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        Write(stream, model, Measure(model));
    }

    /// <summary>Loads a model file whose element type is <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">float or double: the file's element type (see <see cref="ReadInfo(string)"/>).</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model file of <typeparamref name="T"/>, is corrupt, truncated, or from a newer version.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static SavedModel<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream file = OpenRead(path);
        return Load<T>(file, $"model file '{path}'");
    }

    /// <summary>Loads a model from <paramref name="stream"/>, from its current position to its end.</summary>
    /// <typeparam name="T">float or double: the model's element type.</typeparam>
    /// <param name="stream">A readable stream; left open. One that cannot seek is first buffered in memory, up to the length its header declares.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid model of <typeparamref name="T"/>.</exception>
    public static SavedModel<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckReadable(stream);
        return Load<T>(stream, "model stream");
    }

    /// <summary>Reads a model file's summary (version, element type, sizes, layers, metadata) and verifies its checksum, without loading the weights.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model file, is corrupt, truncated, or from a newer version.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static ModelFileInfo ReadInfo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream file = OpenRead(path);
        return ReadInfo(file, $"model file '{path}'");
    }

    /// <summary>The summary of the model in <paramref name="stream"/>; <paramref name="what"/> names it in messages.</summary>
    internal static ModelFileInfo ReadInfo(Stream stream, string what)
    {
        CheckReadable(stream);
        (ModelReader reader, uint elementCode, long length) = ModelHeader.Open(stream, what);
        return elementCode == ModelFormat.SingleCode
            ? ModelCodec.Read<float>(reader, length, materialize: false).Info
            : ModelCodec.Read<double>(reader, length, materialize: false).Info;
    }

    /// <summary>The atomic save, with a hook that wraps the temporary file's stream (tests inject failures through it).</summary>
    internal static void Save<T>(string path, SavedModel<T> model, Func<Stream, Stream> wrap)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);

        // Checked and measured first: a model the format cannot store fails here, before any file exists.
        long length = Measure(model);
        using AtomicFile file = AtomicFile.Create(path);
        Stream stream = wrap(file.Stream);
        Write(stream, model, length);
        stream.Flush();
        file.Commit();
    }

    /// <summary>The file length, found by encoding into a counter; this pass also finds what the format cannot store.</summary>
    private static long Measure<T>(SavedModel<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var counter = new ModelWriter(null);
        try
        {
            ModelCodec.Write(counter, model, fileLength: 0);
        }
        catch (ArgumentException e) when (e.ParamName is null)
        {
            throw new ArgumentException(e.Message, nameof(model), e);
        }

        return counter.Position;
    }

    private static void Write<T>(Stream stream, SavedModel<T> model, long length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var writer = new ModelWriter(stream);
        ModelCodec.Write(writer, model, length);
        if (writer.Position != length)
        {
            throw new InvalidOperationException($"The model changed while it was being saved: it measured {length} bytes but {writer.Position} were written.");
        }
    }

    private static SavedModel<T> Load<T>(Stream stream, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (ModelReader reader, uint elementCode, long length) = ModelHeader.Open(stream, what);
        if (elementCode != ModelFormat.ElementCode<T>())
        {
            Type stored = ModelFormat.ElementType(elementCode)!;
            throw ModelReader.Fail(what, 12, $"the model's element type is {stored.Name} but it was loaded as {typeof(T).Name} (Load<{typeof(T).Name}>); call Load<{stored.Name}>, or read ModelFile.ReadInfo(path).ElementType to choose");
        }

        return ModelCodec.Read<T>(reader, length, materialize: true).Model!;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static void CheckReadable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }
    }
}

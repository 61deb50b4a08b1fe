using System.Text;
using Backprop.Simd.Data;
using Backprop.Simd.IO;
using Backprop.Simd.Serialization;
using Backprop.Simd.Serialization.Onnx;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Tests.Serialization;

namespace Backprop.Simd.Tests.IO;

/// <summary>
/// The one atomic writer behind model files, ONNX export, IDX files and downloads: what it refuses to replace, how it
/// writes through links, the name limit it checks before any work, and the leftovers of killed saves it removes.
/// Special files live in the test's own directory; /dev/null is only read (its kind), never written.
/// </summary>
[Trait("Category", "Files")]
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = ModelTestData.CreateTemporaryDirectory();
    private readonly SavedModel<float> _model = ModelTestData.FullModel<float>();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string In(string name) => Path.Combine(_directory, name);

    private string[] Entries(string? directory = null) =>
        [.. Directory.GetFileSystemEntries(directory ?? _directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Devices_fifos_sockets_and_directories_are_refused_and_left_as_they_were()
    {
        Assert.True(OperatingSystem.IsLinux(), "the file kinds are read through statx; this test and CI run on Linux");
        SpecialFiles.MakeFifo(In("fifo"));
        using System.Net.Sockets.Socket socket = SpecialFiles.MakeSocket(In("socket"));
        Directory.CreateDirectory(In("folder"));
        File.CreateSymbolicLink(In("null-link"), "/dev/null");

        foreach ((string name, FileKind kind, string described) in (ReadOnlySpan<(string, FileKind, string)>)[
            ("fifo", FileKind.Pipe, "is a FIFO (named pipe), not a regular file"),
            ("socket", FileKind.Socket, "is a socket, not a regular file"),
            ("folder", FileKind.Directory, "is a directory, not a regular file"),
            ("null-link", FileKind.CharacterDevice, "(a link to '/dev/null') is a character device, not a regular file")])
        {
            IOException e = Assert.Throws<IOException>(() => ModelFile.Save(In(name), _model));
            Assert.Contains(described, e.Message, StringComparison.Ordinal);
            Assert.Equal(kind, FileSystemFacts.GetKind(In(name)));
        }

        // The other writers refuse through the same code.
        Assert.Throws<IOException>(() => IdxWriter.Write(In("fifo"), new IdxArray([1], [0])));
        Assert.Throws<IOException>(() => OnnxExporter.Export(In("null-link"), _model.Network));
        Assert.Throws<IOException>(() => AtomicFile.CheckTarget(In("socket")));

        Assert.Equal("/dev/null", new FileInfo(In("null-link")).LinkTarget);
        Assert.Equal(FileKind.CharacterDevice, FileSystemFacts.GetKind("/dev/null"));
        Assert.Equal(["fifo", "folder", "null-link", "socket"], Entries());
    }

    [Fact]
    public void A_symbolic_link_is_written_through_and_stays_a_link()
    {
        Directory.CreateDirectory(In("models"));
        File.CreateSymbolicLink(In("link.bpm"), Path.Combine("models", "real.bpm"));
        File.CreateSymbolicLink(In("chain.bpm"), "link.bpm");
        File.CreateSymbolicLink(In("dangling.bpm"), Path.Combine("models", "new.bpm"));
        SavedModel<float> second = ModelTestData.FullModel<float>("single-dense", seed: 2);

        ModelFile.Save(In("link.bpm"), _model);
        Assert.Equal(ModelTestData.Encode(_model), File.ReadAllBytes(In("models/real.bpm")));
        ModelFile.Save(In("chain.bpm"), second);
        Assert.Equal(ModelTestData.Encode(second), File.ReadAllBytes(In("models/real.bpm")));
        ModelFile.Save(In("dangling.bpm"), _model);
        Assert.Equal(ModelTestData.Encode(_model), File.ReadAllBytes(In("models/new.bpm")));

        Assert.Equal(Path.Combine("models", "real.bpm"), new FileInfo(In("link.bpm")).LinkTarget);
        Assert.Equal("link.bpm", new FileInfo(In("chain.bpm")).LinkTarget);
        Assert.Equal(Path.Combine("models", "new.bpm"), new FileInfo(In("dangling.bpm")).LinkTarget);
        Assert.Equal(["chain.bpm", "dangling.bpm", "link.bpm", "models"], Entries());
        Assert.Equal(["new.bpm", "real.bpm"], Entries(In("models")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_replacement_keeps_the_permissions_of_the_file_it_replaces()
    {
        string path = In("model.bpm");
        ModelFile.Save(path, _model);
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(path, OwnerOnly);

        ModelFile.Save(path, ModelTestData.FullModel<float>("single-dense", seed: 3));

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void The_leftovers_of_killed_saves_to_the_same_target_are_removed_and_nothing_else()
    {
        string target = In("model.bpm");
        string stale = AtomicFile.TemporaryPath(target);
        string live = AtomicFile.TemporaryPath(target);
        string otherTarget = AtomicFile.TemporaryPath(In("model.bpm.bak"));
        File.WriteAllBytes(stale, new byte[1000]);
        File.WriteAllBytes(otherTarget, new byte[10]);
        string[] notThePattern = [".model.bpm.0123456789ABCDEF.tmp", ".model.bpm.0123456789abcdef0.tmp", ".model.bpm.0123456789abcdef.tmp.bak", "model.bpm.0123456789abcdef.tmp"];
        foreach (string name in notThePattern)
        {
            File.WriteAllBytes(In(name), [1]);
        }

        // A live save holds its temporary file with an exclusive lock, as this stream does.
        using (var held = new FileStream(live, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
        {
            ModelFile.Save(target, _model);

            Assert.False(File.Exists(stale), "the leftover of a killed save to the same target");
            Assert.True(File.Exists(live), "another save's live temporary file");
        }

        Assert.True(AtomicFile.IsTemporaryName(Path.GetFileName(stale), "model.bpm"));
        Assert.False(AtomicFile.IsTemporaryName(Path.GetFileName(otherTarget), "model.bpm"));
        Assert.All(notThePattern, name => Assert.False(AtomicFile.IsTemporaryName(name, "model.bpm"), name));
        Assert.Equal([.. new[] { "model.bpm", Path.GetFileName(live), Path.GetFileName(otherTarget) }.Concat(notThePattern).Order(StringComparer.Ordinal)], Entries());

        // Once nothing holds it, the next save takes it too.
        ModelFile.Save(target, _model);
        Assert.False(File.Exists(live));
    }

    [Fact]
    public void The_name_limit_is_the_file_systems()
    {
        int limit = FileSystemFacts.GetNameMax(_directory);
        File.WriteAllBytes(In(new string('x', limit)), []);
        Assert.ThrowsAny<IOException>(() => File.WriteAllBytes(In(new string('y', limit + 1)), []));
    }

    [Fact]
    public void A_name_that_leaves_no_room_for_the_temporary_name_fails_before_anything_is_written()
    {
        int longest = FileSystemFacts.GetNameMax(_directory) - AtomicFile.NameOverhead;
        string fits = new string('a', longest - 4) + ".bpm";

        // One byte too many, in UTF-8 bytes, as the file system counts, though fewer characters.
        string stem = new('é', (longest - 4) / 2);
        string tooLong = stem + new string('b', longest - 3 - Encoding.UTF8.GetByteCount(stem)) + ".bpm";
        Assert.Equal(longest + 1, Encoding.UTF8.GetByteCount(tooLong));
        Assert.True(tooLong.Length < longest);

        ModelFile.Save(In(fits), _model);
        Assert.Equal(fits, AtomicFile.CheckTarget(In(fits))[(_directory.Length + 1)..]);

        PathTooLongException e = Assert.Throws<PathTooLongException>(() => ModelFile.Save(In(tooLong), _model));
        Assert.Contains($"use a name of at most {longest} bytes", e.Message, StringComparison.Ordinal);
        Assert.Throws<PathTooLongException>(() => AtomicFile.CheckTarget(In(tooLong)));
        Assert.Equal([fits], Entries());
    }

    [Fact]
    public void Checking_a_target_leaves_nothing_behind()
    {
        string path = In("model.bpm");
        Assert.Equal(path, AtomicFile.CheckTarget(path));
        Assert.Empty(Entries());
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.CheckTarget(In("missing/model.bpm")));
    }
}

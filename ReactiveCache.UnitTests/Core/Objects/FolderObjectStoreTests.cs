using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Core.Objects;

public sealed class FolderObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("objects-");

    public FolderObjectStoreTests()
    {
        SampleObjects.SeedFolder(_root.FullName);
        Store = new FolderObjectStore(_root.FullName);
    }

    protected override IObjectStore Store { get; }

    [Fact]
    public async Task A_key_cannot_escape_the_root()
    {
        File.WriteAllText(Path.Combine(_root.Parent!.FullName, $"outside-{_root.Name}.txt"), "secret");

        Assert.Null(await Store.GetAsync($"../outside-{_root.Name}.txt"));
        Assert.Null(await Store.GetMetadataAsync($"../outside-{_root.Name}.txt"));
    }

    [Fact]
    public async Task A_changed_file_gets_a_new_etag()
    {
        var before = (await Store.GetMetadataAsync("100B.txt"))!.ETag;
        File.WriteAllText(Path.Combine(_root.FullName, "100B.txt"), "changed");
        File.SetLastWriteTimeUtc(Path.Combine(_root.FullName, "100B.txt"), DateTime.UtcNow.AddMinutes(1));

        var after = (await Store.GetMetadataAsync("100B.txt"))!.ETag;

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task An_object_replaced_after_it_was_opened_is_read_whole_in_the_version_opened()
    {
        var path = Path.Combine(_root.FullName, "100B.txt");
        var before = File.ReadAllBytes(path);
        await using var stored = (await Store.GetAsync("100B.txt"))!;

        // Replaced the way a store replaces an object: written beside it, renamed over it.
        File.WriteAllText(path + ".new", "a new version");
        File.Move(path + ".new", path, overwrite: true);

        using var body = new MemoryStream();
        await stored.Body.CopyToAsync(body);
        Assert.Equal(before, body.ToArray());
        Assert.Equal(before.Length, stored.Metadata.Length);
        Assert.Equal($"\"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(before))}\"", stored.Metadata.ETag);
        Assert.NotEqual(stored.Metadata.ETag, (await Store.GetMetadataAsync("100B.txt"))!.ETag);
    }

    [Fact]
    public async Task A_conditional_read_tells_not_modified_and_changed_from_found()
    {
        var etag = (await Store.GetMetadataAsync("100B.txt"))!.ETag;

        await using (var same = await Store.GetIfAsync("100B.txt", VersionCondition.ChangedFrom(etag)))
        {
            Assert.Equal(ReadStatus.NotModified, same.Status);
        }

        await using (var other = await Store.GetIfAsync("100B.txt", VersionCondition.Matching("\"other\"")))
        {
            Assert.Equal(ReadStatus.Changed, other.Status);
        }

        await using (var found = await Store.GetIfAsync("100B.txt", VersionCondition.Matching(etag), new ByteRange(0, 9)))
        {
            Assert.Equal(ReadStatus.Found, found.Status);
            Assert.Equal(etag, found.Object!.Metadata.ETag);
        }

        await using var missing = await Store.GetIfAsync("no/such.txt", VersionCondition.Matching(etag));
        Assert.Equal(ReadStatus.Missing, missing.Status);
    }

    [Fact]
    public async Task The_watcher_tells_of_an_object_written_and_removed()
    {
        var changes = new System.Collections.Concurrent.ConcurrentQueue<ObjectChange>();
        using (((FolderObjectStore)Store).Watch(changes.Enqueue))
        {
            File.WriteAllText(Path.Combine(_root.FullName, "100B.txt"), "changed");
            File.Delete(Path.Combine(_root.FullName, "1KB.txt"));
            await Eventually.HoldsAsync(() => changes.Contains(new ObjectChange("100B.txt", false)) && changes.Contains(new ObjectChange("1KB.txt", true)),
                TimeSpan.FromSeconds(10), "both changes reported");
        }
    }

    [Fact]
    public async Task A_root_that_does_not_exist_yet_is_watched_as_an_empty_bucket()
    {
        // A clean checkout has no object folder: the orchestrator's watcher must not fail (it stopped the host).
        var missing = Path.Combine(_root.FullName, "not-yet");
        var changes = new System.Collections.Concurrent.ConcurrentQueue<ObjectChange>();
        using (new FolderObjectStore(missing).Watch(changes.Enqueue))
        {
            File.WriteAllText(Path.Combine(missing, "new.txt"), "new");
            await Eventually.HoldsAsync(() => changes.Contains(new ObjectChange("new.txt", false)), TimeSpan.FromSeconds(10), "the write reported");
        }
    }

    [Fact]
    public void Events_the_watcher_loses_are_reported_as_lost()
    {
        // An overflowing inotify queue cannot be produced on demand: the watcher's own error path is raised as the
        // runtime raises it (FileSystemWatcher.OnError), on the watcher Watch returns.
        Exception? lost = null;
        using var watch = ((FolderObjectStore)Store).Watch(_ => { }, e => lost = e);
        var raise = typeof(FileSystemWatcher).GetMethod("OnError", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;

        raise.Invoke(Assert.IsType<FileSystemWatcher>(watch), [new ErrorEventArgs(new InternalBufferOverflowException())]);

        Assert.IsType<InternalBufferOverflowException>(lost);
    }

    [Fact]
    public void Seeding_writes_index_html_of_exactly_144_bytes()
    {
        Assert.Equal(144, new FileInfo(Path.Combine(_root.FullName, "index.html")).Length);
    }

    public void Dispose()
    {
        File.Delete(Path.Combine(_root.Parent!.FullName, $"outside-{_root.Name}.txt"));
        _root.Delete(recursive: true);
    }
}

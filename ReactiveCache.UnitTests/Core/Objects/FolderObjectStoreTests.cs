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

using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Core.Objects;

public sealed class ObjectStoreOptionsTests
{
    private readonly ObjectStoreOptionsValidator _validator = new();

    [Fact]
    public void A_folder_store_needs_a_root()
    {
        var result = _validator.Validate(null, new ObjectStoreOptions { Kind = ObjectStoreKind.Folder });

        Assert.True(result.Failed);
        Assert.Contains("ObjectStore:Root", result.FailureMessage);
    }

    [Fact]
    public void An_S3_store_needs_a_bucket_and_an_absolute_service_url()
    {
        var result = _validator.Validate(null, new ObjectStoreOptions { Kind = ObjectStoreKind.S3, ServiceUrl = "not a url" });

        Assert.True(result.Failed);
        Assert.Contains("ObjectStore:Bucket", result.FailureMessage);
        Assert.Contains("ObjectStore:ServiceUrl", result.FailureMessage);
    }

    [Fact]
    public void Valid_settings_pass()
    {
        Assert.True(_validator.Validate(null, new ObjectStoreOptions { Kind = ObjectStoreKind.Folder, Root = "/data" }).Succeeded);
        Assert.True(_validator.Validate(null, new ObjectStoreOptions { Kind = ObjectStoreKind.S3, Bucket = "b", ServiceUrl = "http://127.0.0.1:4569" }).Succeeded);
    }
}

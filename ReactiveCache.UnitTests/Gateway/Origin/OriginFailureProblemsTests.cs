using Microsoft.AspNetCore.Http;
using Polly.RateLimiting;
using Polly.Timeout;
using ReactiveCache.Core.Objects;
using ReactiveCache.Gateway.Objects;

namespace ReactiveCache.UnitTests.Gateway.Origin;

/// <summary>What a client is answered when the store of record fails.</summary>
public sealed class OriginFailureProblemsTests
{
    public static TheoryData<Exception, int, string> Failures => new()
    {
        { new ObjectStoreException(ObjectStoreFailure.Unavailable, "500"), StatusCodes.Status502BadGateway, "origin-unavailable" },
        { new ObjectStoreException(ObjectStoreFailure.AccessDenied, "403"), StatusCodes.Status502BadGateway, "origin-access-denied" },
        { new ObjectStoreException(ObjectStoreFailure.Rejected, "NoSuchBucket"), StatusCodes.Status502BadGateway, "origin-rejected" },
        { new ObjectStoreException(ObjectStoreFailure.Timeout, "every attempt timed out"), StatusCodes.Status504GatewayTimeout, "origin-timeout" },
        { new TimeoutRejectedException(), StatusCodes.Status504GatewayTimeout, "origin-timeout" },
        { new RateLimiterRejectedException(), StatusCodes.Status503ServiceUnavailable, "origin-busy" },
        { new IOException("the connection was reset mid-body"), StatusCodes.Status502BadGateway, "origin-unavailable" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_has_its_status_and_problem_type(Exception failure, int status, string type)
    {
        var problem = Problems.ForOriginFailure("some/key.bin", failure);

        Assert.Equal(status, problem.StatusCode);
        Assert.Equal("https://reactivecache.dev/problems/" + type, problem.ProblemDetails.Type);
        Assert.Contains("some/key.bin", problem.ProblemDetails.Detail);
    }
}

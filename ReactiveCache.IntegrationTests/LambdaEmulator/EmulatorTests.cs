using System.Net;
using System.Net.Http.Json;
using ReactiveCache.Core.Functions;
using ReactiveCache.IntegrationTests.Lambda;

namespace ReactiveCache.IntegrationTests.LambdaEmulator;

/// <summary>The local Lambda service's Invoke API: unknown functions, bad input, the timeout kill.</summary>
[Collection(FunctionCollection.Name)]
public sealed class EmulatorTests(FunctionFixture fixture)
{
    [Fact]
    public async Task An_unknown_function_is_404_problem_json()
    {
        using var response = await fixture.InvokeAsync("no-such-function", fixture.Payload("1KB.txt", TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ResourceNotFoundException", FunctionFixture.Header(response, "X-Amzn-ErrorType"));
    }

    [Fact]
    public async Task A_payload_that_is_not_json_is_400()
    {
        using var response = await fixture.Emulator.SendAsync(
            FunctionFixture.SignedInvoke(fixture.Emulator.BaseAddress!, "life", "{not json"u8.ToArray(), "RequestResponse", fixture.EmulatorCredentials));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidRequestContentException", FunctionFixture.Header(response, "X-Amzn-ErrorType"));
    }

    [Fact]
    public async Task An_unknown_invocation_type_is_400()
    {
        using var response = await fixture.InvokeAsync("life", fixture.Payload("1KB.txt", TimeSpan.FromSeconds(1)), "Sometimes");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_function_error_is_reported_with_X_Amz_Function_Error()
    {
        using var response = await fixture.InvokeAsync("life", fixture.Payload("no-such-object.txt", TimeSpan.FromSeconds(1)), "RequestResponse");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", FunctionFixture.Header(response, "X-Amz-Function-Error"));
        var error = await response.Content.ReadFromJsonAsync(FunctionJsonContext.Default.FunctionError);
        Assert.Contains("no-such-object.txt", error!.ErrorMessage);
    }

    [Fact]
    public async Task An_environment_that_outlives_the_function_timeout_is_killed()
    {
        using var response = await fixture.InvokeAsync("sleeper", fixture.Payload("1KB.txt", TimeSpan.FromSeconds(1)), "RequestResponse");

        Assert.Equal("Unhandled", FunctionFixture.Header(response, "X-Amz-Function-Error"));
        var error = await response.Content.ReadFromJsonAsync(FunctionJsonContext.Default.FunctionError);
        Assert.Equal("Sandbox.Timedout", error!.ErrorType);
        var pid = int.Parse(FunctionFixture.Header(response, "X-Emulator-Process-Id"));
        Assert.DoesNotContain(await fixture.EnvironmentsAsync(), e => e.ProcessId == pid && e.State != "Dead");
        // The kill is asynchronous: the process is gone within moments (bounded wait on a busy machine).
        Assert.True(await FunctionFixture.ExitsWithinAsync(pid, TimeSpan.FromSeconds(15)), $"process {pid} still runs after the function timeout ({FunctionFixture.Describe(pid)})");
    }
}

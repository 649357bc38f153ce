// The function's entry point: a Lambda custom runtime (provided.al2023), one binary for AWS and for
// the local emulator. It needs AWS_LAMBDA_RUNTIME_API, which only Lambda (or the emulator) provides.
using ReactiveCache.Core.Hosting;
using ReactiveCache.Lambda;

var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set: this binary is a Lambda custom runtime and must be started by Lambda or the ReactiveCache Lambda emulator.");
    return 2;
}

// Before any socket: see InlineSocketCompletions (the environment may still decide). One engine thread: a
// function has at most one vCPU's worth (less below 1,769 MB), more threads only compete for that share, and one
// loop over every tunnel connection serves the requests that arrived together in one wake-up (measured:
// docs/gateway.md, "Inline socket completions").
InlineSocketCompletions.PreferUnlessConfigured(engineThreads: 1);

return await FunctionHost.RunAsync(runtimeApi, args);

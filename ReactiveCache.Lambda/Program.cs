// The function's entry point: a Lambda custom runtime (provided.al2023), one binary for AWS and for
// the local emulator. It needs AWS_LAMBDA_RUNTIME_API, which only Lambda (or the emulator) provides.
using ReactiveCache.Lambda;

var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set: this binary is a Lambda custom runtime and must be started by Lambda or the ReactiveCache Lambda emulator.");
    return 2;
}

return await FunctionHost.RunAsync(runtimeApi, args);

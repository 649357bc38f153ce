// The function's entry point: a Lambda custom runtime (provided.al2023), one binary for AWS and for
// the local emulator. It needs AWS_LAMBDA_RUNTIME_API, which only Lambda (or the emulator) provides.
using ReactiveCache.Lambda;

var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set: this binary is a Lambda custom runtime and must be started by Lambda or the ReactiveCache Lambda emulator.");
    return 2;
}

// Socket completions run on the socket engine's thread instead of hopping to the thread pool: all the
// function runs is non-blocking (objects in memory, the tunnel, the control stream), and on a fraction of
// a vCPU every hop is a context switch. The runtime reads this switch only from the environment, when the
// first socket is made, so it is set here, before any; the function's configuration may still override it.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

return await FunctionHost.RunAsync(runtimeApi, args);

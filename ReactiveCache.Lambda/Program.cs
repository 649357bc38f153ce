// The function's entry point: a custom Lambda runtime (provided.al2023). The runtime loop and the
// tunnel arrive with the Function issue; until then the binary checks its environment and exits.
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrWhiteSpace(runtimeApi))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set: this binary is a Lambda custom runtime and must be started by Lambda or the ReactiveCache Lambda emulator.");
    return 2;
}

return 0;

using ReactiveCache.Cli;
using ReactiveCache.Core.Hosting;

// The benches host the gateway in this process: its sockets run as the gateway's own Program.cs runs them.
InlineSocketCompletions.PreferUnlessConfigured();

return await CliApp.Build().Parse(args).InvokeAsync();

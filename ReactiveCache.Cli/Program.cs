using System.CommandLine;
using ReactiveCache.Cli.Commands.Bench;

var root = new RootCommand("reactive-cache: configure, trace, simulate, replay, report and bench ReactiveCache.");
root.AddBenchStartup();

return await root.Parse(args).InvokeAsync();

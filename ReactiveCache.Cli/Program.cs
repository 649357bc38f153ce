using System.CommandLine;

var root = new RootCommand("reactive-cache: configure, trace, simulate, replay, report and bench ReactiveCache.");

return await root.Parse(args).InvokeAsync();

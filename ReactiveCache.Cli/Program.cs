using ReactiveCache.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();

namespace ReactiveCache.Cli.Infrastructure;

/// <summary>Bad input the user can fix: printed as one line, exit code 1, no stack trace.</summary>
public sealed class CliError(string message) : Exception(message);

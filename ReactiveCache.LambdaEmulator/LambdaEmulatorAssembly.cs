namespace ReactiveCache.LambdaEmulator;

/// <summary>Marker for <c>WebApplicationFactory&lt;T&gt;</c> (every web project's <c>Program</c> is named alike).</summary>
public sealed class LambdaEmulatorAssembly;

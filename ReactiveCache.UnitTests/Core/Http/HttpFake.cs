using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ReactiveCache.Core.Http;
using ReactiveCache.Core.Objects;

namespace ReactiveCache.UnitTests.Core.Http;

internal static class HttpFake
{
    public static (HttpContext Context, MemoryStream Body) Context(string method, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        return (context, body);
    }
}

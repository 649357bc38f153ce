using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Microsoft.Extensions.Hosting;

/// <summary>OpenAPI documents for every service, and the Scalar UI over them in Development.</summary>
public static class ApiDocs
{
    public const string ScalarPath = "/scalar";

    public static TBuilder AddApiDocs<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// Maps <c>/openapi/v1.json</c> always and the Scalar UI at <c>/scalar</c> in Development. In Development both are
    /// open (the UI fetches the document without credentials); elsewhere they need what the rest of the service needs.
    /// </summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        var document = app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            document.AllowAnonymous();
            app.MapScalarApiReference(ScalarPath).AllowAnonymous();
        }

        return app;
    }
}

using Microsoft.AspNetCore.Diagnostics;

namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// Unhandled errors on the machine-facing paths (/api, /webhooks) answer problem+json with 500 (never an HTML page);
/// pages fall through to /Error.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Paths whose callers are programs: every error there is problem+json.</summary>
    public static bool IsMachineFacing(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/webhooks");

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsMachineFacing(httpContext.Request))
        {
            return false;
        }

        logger.LogError(exception, "Unhandled error in {Method} {Path}.", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = 500, Title = "The portal could not complete the request.", Detail = "The error has been logged; retry later." },
        });
    }
}

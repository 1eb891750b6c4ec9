using System.Security.Cryptography;
using System.Text;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>
/// Requires <c>X-Api-Key</c> to equal <c>Ingest:ApiKey</c>, compared in constant time. One configured key for
/// now; per-client hashed keys replace it when agents get their own credentials.
/// </summary>
public sealed class ApiKeyEndpointFilter(IConfiguration configuration, ILogger<ApiKeyEndpointFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var expected = configuration["Ingest:ApiKey"];
        if (string.IsNullOrWhiteSpace(expected))
        {
            logger.LogError("Ingest:ApiKey is not configured; the submission API refuses every call.");
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The submission API is not configured.",
                detail: "Set Ingest:ApiKey (environment variable Ingest__ApiKey).");
        }

        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        // Hashing first makes the comparison constant-time in the length too.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            logger.LogWarning("Rejected API call to {Path} from {Remote}: missing or wrong API key.", context.HttpContext.Request.Path, context.HttpContext.Connection.RemoteIpAddress);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or invalid API key.",
                detail: $"Send the client's key in the {HeaderName} header.");
        }

        return await next(context);
    }
}

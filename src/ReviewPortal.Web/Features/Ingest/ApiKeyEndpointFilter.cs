using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>
/// Requires <c>X-Api-Key</c> to be the key of an active API client (stored hashed, compared in constant time) holding
/// the scope the endpoint declares (<see cref="ApiScopeEndpointExtensions.RequireApiScope"/>), and makes the client
/// known to the endpoint, so what it submits is recorded under its name.
/// </summary>
public sealed class ApiKeyEndpointFilter(ApiClientRegistry clients, FailureThrottle throttle, ILogger<ApiKeyEndpointFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>What the 429 says was too many.</summary>
    public const string ApiKeyFailures = "calls with a missing or invalid API key";

    public static ApiKeyCaller? CallerOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[typeof(ApiKeyCaller)] as ApiKeyCaller;
    }

    public static ApiClient? ClientOf(HttpContext http) => CallerOf(http)?.Client;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var address = FailureThrottle.AddressOf(http);
        if (!throttle.MayTry(FailureKind.ApiKey, address, out var retryAfter))
        {
            return FailureThrottle.TooManyFailures(http, retryAfter, ApiKeyFailures);
        }

        var caller = await clients.AuthenticateApiKeyAsync(http);
        if (caller is null)
        {
            throttle.RecordFailure(FailureKind.ApiKey, address);
            logger.LogWarning("Rejected API call to {Path} from {Remote}: missing, wrong or revoked API key.", http.Request.Path, http.Connection.RemoteIpAddress);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or invalid API key.",
                detail: $"Send your client's key in the {HeaderName} header. Admins create keys under Admin > API clients.");
        }

        if (http.ScopeRefusal(caller, logger) is { } refusal)
        {
            return refusal;
        }

        http.Items[typeof(ApiKeyCaller)] = caller;
        return await next(context);
    }
}

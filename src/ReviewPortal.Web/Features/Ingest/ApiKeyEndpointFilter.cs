using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>
/// Requires <c>X-Api-Key</c> to be the key of an active API client (stored hashed, compared in constant time) and
/// makes the client known to the endpoint, so what it submits is recorded under its name.
/// </summary>
public sealed class ApiKeyEndpointFilter(ApiClientRegistry clients, ILogger<ApiKeyEndpointFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public static ApiClient? ClientOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[typeof(ApiClient)] as ApiClient;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var client = await clients.AuthenticateAsync(http.Request.Headers[HeaderName].ToString(), http.RequestAborted);
        if (client is null)
        {
            logger.LogWarning("Rejected API call to {Path} from {Remote}: missing, wrong or revoked API key.", http.Request.Path, http.Connection.RemoteIpAddress);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or invalid API key.",
                detail: $"Send your client's key in the {HeaderName} header. Admins create keys under Admin > API clients.");
        }

        http.Items[typeof(ApiClient)] = client;
        return await next(context);
    }
}

using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// The read endpoints of the changes API take either an API client's key (<c>X-Api-Key</c>: agents, CI) or a
/// signed-in person's cookie (the portal's own pages and scripts), and make the caller known as a
/// <see cref="ChangeViewer"/>: a person with the roles the database holds now, or the client.
/// A key, when sent, wins over the cookie, so a script never gains a person's tier-4 visibility by accident.
/// </summary>
public sealed class ApiCallerEndpointFilter(ApiClientRegistry clients, FailureThrottle throttle, ILogger<ApiCallerEndpointFilter> logger) : IEndpointFilter
{
    public static ChangeViewer ViewerOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[typeof(ChangeViewer)] as ChangeViewer ?? throw new InvalidOperationException("The endpoint has no ApiCallerEndpointFilter.");
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        ChangeViewer? viewer;
        if (http.Request.Headers.ContainsKey(ApiKeyEndpointFilter.HeaderName))
        {
            var address = FailureThrottle.AddressOf(http);
            if (!throttle.MayTry(FailureKind.ApiKey, address, out var retryAfter))
            {
                return FailureThrottle.TooManyFailures(http, retryAfter, ApiKeyEndpointFilter.ApiKeyFailures);
            }

            var client = await clients.AuthenticateAsync(http.Request.Headers[ApiKeyEndpointFilter.HeaderName].ToString(), http.RequestAborted);
            if (client is null)
            {
                throttle.RecordFailure(FailureKind.ApiKey, address);
            }

            viewer = client is null ? null : ChangeViewer.ForApiClient(client.Name);
            if (client is not null)
            {
                // The request acts as the client from here on, so authorization judges the key and never the cookie.
                http.User = ApiClientPrincipal.For(client.Name);
            }
        }
        else
        {
            viewer = await http.RequestServices.GetRequiredService<CurrentReviewer>().ViewerAsync(http.User, http.RequestAborted);
        }

        if (viewer is null)
        {
            logger.LogWarning("Rejected API call to {Path} from {Remote}: no valid API key and no valid signed-in account.", http.Request.Path, http.Connection.RemoteIpAddress);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or invalid credentials.",
                detail: $"Send an API client's key in the {ApiKeyEndpointFilter.HeaderName} header, or call from a signed-in portal session.");
        }

        http.Items[typeof(ChangeViewer)] = viewer;
        return await next(context);
    }
}

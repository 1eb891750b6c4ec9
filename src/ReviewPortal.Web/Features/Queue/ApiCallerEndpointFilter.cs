using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// Endpoints that take either an API client's key (<c>X-Api-Key</c>: agents, CI) or a signed-in person's cookie (the
/// portal's own pages and scripts), and make the caller known as a <see cref="ChangeViewer"/>: a person with the roles
/// the database holds now, or the client with its repository limit. A key needs the scope the endpoint declares
/// (<see cref="ApiScopeEndpointExtensions.RequireApiScope"/>), a person the role it declares, if any.
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

            var caller = await clients.AuthenticateApiKeyAsync(http);
            if (caller is null)
            {
                throttle.RecordFailure(FailureKind.ApiKey, address);
            }
            else if (http.ScopeRefusal(caller, logger) is { } refusal)
            {
                return refusal;
            }

            viewer = caller is null ? null : ChangeViewer.ForApiClient(caller.Client.Name, caller.Repositories);
            if (caller is not null)
            {
                // The request acts as the client from here on, so authorization judges the key and never the cookie.
                http.User = ApiClientPrincipal.For(caller.Client.Name, caller.Repositories);
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

        if (viewer.Person is { } person && http.ApiScopeRequirementOf()?.PersonRole is { } role && !person.Roles.Contains(role))
        {
            logger.LogWarning("Rejected API call to {Method} {Path} by {User}: the {Role} role is needed.", http.Request.Method, http.Request.Path, person.UserName, role);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"This needs the {role} role.");
        }

        http.Items[typeof(ChangeViewer)] = viewer;
        return await next(context);
    }
}

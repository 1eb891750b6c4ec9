using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>
/// Endpoints that take either an API client's key (<c>X-Api-Key</c>: agents, CI) or a signed-in person's cookie (the
/// portal's own pages and scripts), and make the caller known as a <see cref="QueueViewer"/>: a person with the roles
/// the database holds now, or the client with its repository limit. A key needs the scope the endpoint declares
/// (<see cref="ApiScopeEndpointExtensions.RequireApiScope"/>), a person the role it declares, if any.
/// A key, when sent, wins over the cookie, so a script never gains a person's tier-4 visibility by accident.
/// </summary>
public sealed class ApiCallerEndpointFilter(ApiClientRegistry clients, ChangeAccess access, ILogger<ApiCallerEndpointFilter> logger) : IEndpointFilter
{
    public static QueueViewer ViewerOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[typeof(QueueViewer)] as QueueViewer ?? throw new InvalidOperationException("The endpoint has no ApiCallerEndpointFilter.");
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        QueueViewer? viewer;
        if (http.Request.Headers.ContainsKey(ApiKeyEndpointFilter.HeaderName))
        {
            var caller = await clients.AuthenticateApiKeyAsync(http);
            if (caller is not null && http.ScopeRefusal(caller, logger) is { } refusal)
            {
                return refusal;
            }

            viewer = caller is null ? null : QueueViewer.ForApiClient(caller.Client.Name, caller.Repositories);
        }
        else
        {
            viewer = await access.ViewerAsync(http.User, http.RequestAborted);
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

        http.Items[typeof(QueueViewer)] = viewer;
        return await next(context);
    }
}

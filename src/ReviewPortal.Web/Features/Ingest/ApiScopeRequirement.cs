using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>
/// Endpoint metadata: the scope an API key needs to call the endpoint and, where people may call it too, the role a
/// signed-in person needs (null: any signed-in person). An endpoint that takes keys without this metadata refuses
/// every key, so a forgotten declaration fails closed.
/// </summary>
public sealed record ApiScopeRequirement(ApiScope Scope, string? PersonRole = null);

/// <summary>An authenticated API key's client and the repositories it is limited to (null: not limited).</summary>
public sealed record ApiKeyCaller(ApiClient Client, IReadOnlySet<string>? Repositories)
{
    public bool MayUse(string repository) => Repositories is null || Repositories.Contains(repository);
}

public static class ApiScopeEndpointExtensions
{
    /// <summary>Declares the scope a key needs here (and the role a person needs, where the endpoint takes people too).</summary>
    public static TBuilder RequireApiScope<TBuilder>(this TBuilder builder, ApiScope scope, string? personRole = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiScopeRequirement(scope, personRole));

    public static ApiScopeRequirement? ApiScopeRequirementOf(this HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<ApiScopeRequirement>();

    /// <summary>
    /// The caller behind the request's <c>X-Api-Key</c>, with its repository limit read now; null when the key is
    /// missing, wrong or revoked.
    /// </summary>
    public static async Task<ApiKeyCaller?> AuthenticateApiKeyAsync(this ApiClientRegistry clients, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(http);
        var client = await clients.AuthenticateAsync(http.Request.Headers[ApiKeyEndpointFilter.HeaderName].ToString(), http.RequestAborted);
        return client is null ? null : new ApiKeyCaller(client, await clients.RepositoryLimitOfAsync(client.Id, http.RequestAborted));
    }

    /// <summary>
    /// Null when <paramref name="caller"/>'s key holds the scope the endpoint declares; otherwise the 403 problem
    /// naming the missing scope (in <c>missingScope</c> too), logged once.
    /// </summary>
    public static IResult? ScopeRefusal(this HttpContext http, ApiKeyCaller caller, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(caller);
        var needed = http.ApiScopeRequirementOf()?.Scope ?? ApiScope.None;
        if (caller.Client.Scopes.Allows(needed))
        {
            return null;
        }

        logger.LogWarning("Rejected API call to {Method} {Path} by API client {Client}: its key lacks scope {Scope} (it holds {Held}).",
            http.Request.Method, http.Request.Path, caller.Client.Name, needed, caller.Client.Scopes);
        return needed == ApiScope.None
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This endpoint takes no API key.")
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"This API key lacks the {needed} scope.",
                detail: $"Calling {http.Request.Method} {http.Request.Path} needs the {needed} scope ({needed.Describe()}). An admin can add it under Admin > API clients.",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["missingScope"] = needed.ToString() });
    }

    /// <summary>The 403 problem for a key limited to other repositories than <paramref name="repository"/>, logged once.</summary>
    public static IResult RepositoryRefusal(this HttpContext http, ApiKeyCaller caller, string repository, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(caller);
        logger.LogWarning("Rejected API call to {Path} by API client {Client}: repository {Repository} is not among its granted repositories.", http.Request.Path, caller.Client.Name, repository);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This API key is not granted this repository.",
            detail: "The client is limited to the repositories an admin granted it (Admin > API clients).",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["repository"] = [$"'{repository}' is not granted to this client."] } });
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Ingest;
using static ReviewPortal.Web.Tests.Infrastructure.Caller;

namespace ReviewPortal.Web.Tests.Infrastructure;

/// <summary>Who calls: nobody, a person holding exactly one role, or an API key holding exactly one scope.</summary>
[Flags]
public enum Caller
{
    Nobody = 0,
    Anonymous = 1,
    Reviewer = 2,
    SecurityReviewer = 4,
    Manager = 8,
    Admin = 16,
    SubmitKey = 32,
    ProvenanceKey = 64,
    ReadKey = 128,
    PollKey = 256,
    AdminKey = 512,

    People = Reviewer | SecurityReviewer | Manager | Admin,
    Everyone = Anonymous | People | SubmitKey | ProvenanceKey | ReadKey | PollKey | AdminKey,
}

/// <summary>
/// Every routable endpoint of the portal (pages and API, with each HTTP method), called as each caller, against the
/// table of who may call it. An endpoint without a row, or a row without an endpoint, fails the test: adding either
/// means deciding who may call it.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixFixture fixture) : IClassFixture<AuthorizationMatrixFixture>
{
    /// <summary>
    /// Each routable endpoint, "METHOD route pattern" as the endpoint declares it, and the callers that may call it;
    /// everyone else is denied. One line a row: <see cref="Page"/> is a page's GET and its form POST, <see cref="Api"/>
    /// one method. A key sent to a page is ignored, so a key caller meets a page as anonymous does.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Caller> Expected = Table(
    [
        // Pages
        Page("/", People),
        Page("/queue", People),
        // Filled as /queue/security, whose refusal is in the page; a POST without a form's token never renders it (400).
        Page("/queue/{ViewName}", SecurityReviewer, post: People),
        Page("/changes/{Id:long}", People),
        Page("/admin", Admin),
        Page("/admin/api-clients", Admin),
        Page("/admin/api-clients/{ClientId:long}", Admin),
        Page("/admin/repositories", Admin),
        Page("/admin/risk-rules", Admin),
        Page("/admin/webhook-deliveries", Admin),
        Page("/admin/security-events", Admin),
        Page("/admin/people", Admin),
        Page("/Account/Login", Everyone),
        Page("/Account/AccessDenied", Everyone),
        Page("/Error", Everyone),
        Page("/not-found", Everyone),
        Page("/status/{Code:int}", Everyone),

        // The changes API: submit and attach by key only; read by key or person
        Api("POST /api/changes/", SubmitKey),
        Api("POST /api/changes/provenance", ProvenanceKey),
        Api("GET /api/changes/", People | ReadKey),
        Api("GET /api/changes/{id:long}", People | ReadKey),
        Api("POST /api/repositories/{id}/poll", PollKey),

        // Webhooks authenticate by signature only: no key, role or scope opens them
        Api("POST /webhooks/github/{id:long}", Nobody),
        Api("POST /webhooks/gitlab/{id:long}", Nobody),

        // The admin API: an admin's session or an Administer key
        Api("GET /api/admin/repositories", Admin | AdminKey),
        Api("POST /api/admin/repositories", Admin | AdminKey),
        Api("GET /api/admin/risk-rules", Admin | AdminKey),
        Api("PUT /api/admin/risk-rules", Admin | AdminKey),
        Api("POST /api/admin/api-clients", Admin | AdminKey),
        Api("DELETE /api/admin/api-clients/{id:long}", Admin | AdminKey),
        Api("PUT /api/admin/api-clients/{id:long}/scopes", Admin | AdminKey),
        Api("GET /api/admin/api-clients/{id:long}/repositories", Admin | AdminKey),
        Api("POST /api/admin/api-clients/{id:long}/repositories", Admin | AdminKey),
        Api("DELETE /api/admin/api-clients/{id:long}/repositories/{repositoryId:long}", Admin | AdminKey),
        Api("GET /api/admin/webhook-deliveries", Admin | AdminKey),

        // Signing in and out
        Api("POST /Account/ExternalLogin", Everyone),
        Api("GET /Account/ExternalLogin/Callback", Nobody), // without a provider's answer it sends everyone back to sign in
        // Anyone may sign out; a call without the form's antiforgery token is refused (400) before it ends anything.
        Api("POST /Account/Logout", Everyone),

        // The platform: Blazor's circuit and framework endpoints (each page authorizes itself), files, health, API description
        Api("GET /_blazor", Everyone),
        Api("GET /_blazor/negotiate", Everyone),
        Api("GET /_blazor/disconnect/", Everyone),
        Api("GET /_blazor/initializers/", Everyone),
        Api("GET /_framework/opaque-redirect", Everyone),
        Api("GET /{**path:file}", Everyone),
        Api("HEAD /{**path:file}", Everyone),
        Api("GET /health", Everyone),
        Api("GET /openapi/{documentName}.json", Everyone),
    ]);

    private static (string Key, Caller Allowed)[] Page(string route, Caller allowed, Caller? post = null) =>
        [($"GET {route}", allowed), ($"POST {route}", post ?? allowed)];

    private static (string Key, Caller Allowed)[] Api(string methodAndRoute, Caller allowed) => [(methodAndRoute, allowed)];

    private static Dictionary<string, Caller> Table(IEnumerable<(string Key, Caller Allowed)[]> rows) =>
        rows.SelectMany(r => r).ToDictionary(r => r.Key, r => r.Allowed, StringComparer.Ordinal);

    [Fact]
    [Trait("Category", "AuthorizationMatrix")]
    public void Every_routable_endpoint_has_a_row_and_every_row_an_endpoint()
    {
        var routed = fixture.Endpoints.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var missing = routed.Where(e => !Expected.ContainsKey(e)).Order(StringComparer.Ordinal).ToList();
        var stale = Expected.Keys.Where(e => !routed.Contains(e)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, $"Endpoints without a row in {nameof(AuthorizationMatrixTests)}.{nameof(Expected)} (decide who may call them):\n{string.Join("\n", missing)}");
        Assert.True(stale.Count == 0, $"Rows naming no endpoint (remove or rename them):\n{string.Join("\n", stale)}");
    }

    [Fact]
    [Trait("Category", "AuthorizationMatrix")]
    public async Task Each_caller_is_allowed_or_denied_every_endpoint_as_the_table_says()
    {
        var outcomes = await fixture.CallEveryEndpointAsEveryCallerAsync();

        var wrong = outcomes
            .Where(o => o.ServerError || (Expected.TryGetValue(o.Endpoint.Key, out var allowed) && allowed.HasFlag(o.Caller)) != o.Allowed)
            .Select(o => $"{o.Endpoint.Key} as {o.Caller}: {(o.ServerError ? "server error" : o.Allowed ? "allowed" : "denied")} ({o.Answer}), expected {(Expected.GetValueOrDefault(o.Endpoint.Key).HasFlag(o.Caller) ? "allowed" : "denied")}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {outcomes.Count} calls answered against the table:\n{string.Join("\n", wrong)}");
        Assert.Equal(fixture.Endpoints.Count * AuthorizationMatrixFixture.Callers.Count, outcomes.Count);
    }
}

/// <summary>A routable endpoint: its method and route pattern, the table's key.</summary>
public sealed record MatrixEndpoint(string Method, string Pattern)
{
    public string Key => $"{Method} {Pattern}";
}

public sealed record MatrixOutcome(MatrixEndpoint Endpoint, Caller Caller, bool Allowed, bool ServerError, string Answer);

/// <summary>
/// One portal with the demo's data, a person per role (holding only that role) and a key per scope (holding only that
/// scope, no repository grant), shared by the matrix's tests.
/// </summary>
public sealed class AuthorizationMatrixFixture : IAsyncLifetime
{
    private const string Password = "Matrix-Passw0rd!";

    private readonly Dictionary<Caller, HttpClient> _clients = [];
    private long _changeId;
    private long _repositoryId;

    /// <summary>
    /// What a page renders, with status 200, when it refuses the signed-in person: the queue's access-denied panel, and
    /// the review page's "no such change" (a hidden change looks missing).
    /// </summary>
    private static readonly string[] InPageRefusals = ["data-testid=\"queue-access-denied\"", "data-testid=\"change-not-found\""];

    public static IReadOnlyList<Caller> Callers { get; } =
        [Anonymous, Reviewer, SecurityReviewer, Manager, Admin, SubmitKey, ProvenanceKey, ReadKey, PollKey, AdminKey];

    private static readonly IReadOnlyDictionary<Caller, string> RoleOf = new Dictionary<Caller, string>
    {
        [Reviewer] = PortalRoles.Reviewer,
        [SecurityReviewer] = PortalRoles.SecurityReviewer,
        [Manager] = PortalRoles.Manager,
        [Admin] = PortalRoles.Admin,
    };

    private static readonly IReadOnlyDictionary<Caller, ApiScope> ScopeOf = new Dictionary<Caller, ApiScope>
    {
        [SubmitKey] = ApiScope.SubmitChanges,
        [ProvenanceKey] = ApiScope.AttachProvenance,
        [ReadKey] = ApiScope.ReadChanges,
        [PollKey] = ApiScope.TriggerPolls,
        [AdminKey] = ApiScope.Administer,
    };

    public PortalFactory Factory { get; private set; } = default!;

    public IReadOnlyList<MatrixEndpoint> Endpoints { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Factory = await PortalFactory.CreateAsync("authz-matrix", seedDemo: true);
        Endpoints = RoutableEndpoints(Factory.Services.GetRequiredService<EndpointDataSource>());
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            // A change every reader may see (tier 4 is for security reviewers only), and the demo's polled repository.
            _changeId = await db.Changes.Where(c => c.Tier != RiskTier.Critical).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
            _repositoryId = await db.Repositories.Where(r => r.Provider == ScmProvider.LocalGit && r.IsActive).Select(r => r.Id).FirstAsync();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            foreach (var (caller, role) in RoleOf)
            {
                var email = $"matrix-{role.ToLowerInvariant()}@acme.test";
                var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Matrix {role}" };
                Assert.True((await users.CreateAsync(user, Password)).Succeeded, email);
                Assert.True((await users.AddToRoleAsync(user, role)).Succeeded, role);
                var client = NewClient();
                await FormSignIn.SignInAsync(client, email, Password);
                _clients[caller] = client;
            }
        }

        var registry = Factory.Services.GetRequiredService<ApiClientRegistry>();
        foreach (var (caller, apiScope) in ScopeOf)
        {
            var created = await registry.CreateAsync($"matrix-{apiScope}", "matrix test", apiScope);
            var client = NewClient();
            client.DefaultRequestHeaders.Add(ApiKeyEndpointFilter.HeaderName, created.Key);
            _clients[caller] = client;
        }

        _clients[Anonymous] = NewClient();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await Factory.DisposeAsync();
    }

    /// <summary>
    /// Calls each endpoint as each caller: the callers in parallel, each one's calls in turn, sign-out last so that
    /// it ends no session before the other calls.
    /// </summary>
    public async Task<IReadOnlyList<MatrixOutcome>> CallEveryEndpointAsEveryCallerAsync()
    {
        var ordered = Endpoints.OrderBy(e => e.Pattern.StartsWith("/Account/Logout", StringComparison.Ordinal)).ToList();
        var perCaller = await Task.WhenAll(Callers.Select(async caller =>
        {
            var outcomes = new List<MatrixOutcome>();
            foreach (var endpoint in ordered)
            {
                outcomes.Add(await CallAsync(endpoint, caller));
            }

            return outcomes;
        }));
        return perCaller.SelectMany(o => o).ToList();
    }

    private async Task<MatrixOutcome> CallAsync(MatrixEndpoint endpoint, Caller caller)
    {
        var path = await PathForAsync(endpoint);
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.Method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await _clients[caller].SendAsync(request);
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? "";
        var toSignIn = status is >= 300 and < 400
            && (location.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase) || location.Contains("/Account/AccessDenied", StringComparison.OrdinalIgnoreCase));
        var body = status == StatusCodes.Status200OK ? await response.Content.ReadAsStringAsync() : "";
        var refusedInPage = InPageRefusals.Any(marker => body.Contains(marker, StringComparison.Ordinal));
        var denied = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound || toSignIn || refusedInPage;
        return new MatrixOutcome(endpoint, caller, Allowed: !denied && status < 500, ServerError: status >= 500,
            Answer: $"{request.Method} {path} -> {status}{(location.Length > 0 ? $" {location}" : "")}{(refusedInPage ? " refused in the page" : "")}");
    }

    /// <summary>
    /// The route with its parameters filled with real ids. Calls that use a target up (revoking a client, removing a
    /// grant) get a fresh one each, so that every allowed caller finds something to act on.
    /// </summary>
    private async Task<string> PathForAsync(MatrixEndpoint endpoint)
    {
        var pattern = endpoint.Pattern;
        string? clientId = null;
        if (pattern.Contains("api-clients/{", StringComparison.OrdinalIgnoreCase))
        {
            var registry = Factory.Services.GetRequiredService<ApiClientRegistry>();
            var target = (await registry.CreateAsync($"matrix-target-{Guid.NewGuid():N}", "matrix test")).Client;
            if (pattern.Contains("{repositoryId", StringComparison.Ordinal))
            {
                Assert.Equal(GrantOutcome.Granted, await registry.GrantAsync(target.Id, _repositoryId, "matrix test"));
            }

            clientId = target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var repositoryScoped = pattern.StartsWith("/api/repositories/", StringComparison.Ordinal) || pattern.StartsWith("/webhooks/", StringComparison.Ordinal);
        var id = clientId ?? (repositoryScoped ? _repositoryId : _changeId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var repositoryId = _repositoryId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var segments = pattern.Split('/').Select(segment =>
            segment.StartsWith("{repositoryId", StringComparison.Ordinal) ? repositoryId
            : segment == "{ViewName}" ? "security"
            : segment.StartsWith("{**", StringComparison.Ordinal) ? "css/site.css"
            : segment.StartsWith("{documentName}", StringComparison.Ordinal) ? "v1" + segment["{documentName}".Length..]
            : segment.StartsWith('{') ? id
            : segment);
        return string.Join('/', segments);
    }

    private HttpClient NewClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The endpoints a request can reach, one per HTTP method; the static files (served to anyone) are left out.</summary>
    private static List<MatrixEndpoint> RoutableEndpoints(EndpointDataSource source) =>
        source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new MatrixEndpoint(m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .ToList();
}

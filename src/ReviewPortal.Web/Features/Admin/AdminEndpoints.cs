using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Infrastructure;

namespace ReviewPortal.Web.Features.Admin;

public sealed record RegisterRepositoryBody(
    string? Provider, string? Name, string? ProjectId, string? ApiBaseUrl, string? AccessToken, string? LocalPath,
    string? DefaultBranch, IReadOnlyList<string>? AgentAccounts, IReadOnlyList<string>? AgentLabels);

public sealed record RepositorySummary(long Id, string Provider, string Name, string? ApiBaseUrl, string? LocalPath, string WebhookPath, IReadOnlyList<string> AgentAccounts, IReadOnlyList<string> AgentLabels);

public sealed record RuleSetBody(string? Yaml);

public sealed record ApiClientBody(string? Name, IReadOnlyList<string?>? Scopes);

public sealed record ApiScopesBody(IReadOnlyList<string?>? Scopes);

public sealed record GrantBody(long? RepositoryId);

public sealed record GrantSummary(long RepositoryId, string Repository, string Provider, DateTimeOffset GrantedAt, string GrantedBy);

/// <summary>
/// The admin API: the same operations as the admin pages, for a signed-in admin (cookie) session or an API key with
/// the Administer scope.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapPortalAdmin(this IEndpointRouteBuilder endpoints)
    {
        // JSON only, and the auth cookie is SameSite=Lax: a cross-site page can neither send JSON nor the cookie on a POST.
        var admin = endpoints.MapGroup("/api/admin")
            .AddEndpointFilter<ApiCallerEndpointFilter>()
            .RequireApiScope(ApiScope.Administer, personRole: PortalRoles.Admin)
            .DisableAntiforgery()
            .WithTags("Admin");

        admin.MapGet("/repositories", async (IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var repositories = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
            return TypedResults.Ok(repositories.Select(Summary).ToList());
        });

        admin.MapPost("/repositories", async (HttpRequest request, RepositoryRegistry registry, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<RegisterRepositoryBody>(request, loggers.CreateLogger(typeof(AdminEndpoints)), ct);
            if (body is null)
            {
                return error!;
            }

            var errors = new FieldErrors();
            if (!Enum.TryParse<ScmProvider>(body.Provider, ignoreCase: true, out var provider) || int.TryParse(body.Provider, out _))
            {
                errors.Add("provider", "Use GitHub, GitLab or LocalGit.");
            }

            var registration = await registry.TryRegisterAsync(new RegisterRepositoryRequest(provider, body.Name ?? "", body.ProjectId, body.ApiBaseUrl, body.AccessToken, body.LocalPath,
                string.IsNullOrWhiteSpace(body.DefaultBranch) ? "main" : body.DefaultBranch.Trim(), body.AgentAccounts, body.AgentLabels), errors, ct);
            if (registration.Registered is not { } registered)
            {
                return Results.ValidationProblem(registration.Errors.ToDictionary(), statusCode: registration.Errors.StatusCode, title: "The repository has invalid fields.");
            }

            return TypedResults.Created($"/api/admin/repositories/{registered.Repository.Id}",
                new { repository = Summary(registered.Repository), webhookSecret = registered.WebhookSecret });
        });

        admin.MapGet("/risk-rules", (RiskRuleProvider rules) =>
            TypedResults.Ok(new { version = rules.Current.Version, yaml = rules.Current.ToYaml() }));

        admin.MapPut("/risk-rules", async (HttpRequest request, RiskRuleAdministration administration, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<RuleSetBody>(request, loggers.CreateLogger(typeof(AdminEndpoints)), ct);
            if (body is null)
            {
                return error!;
            }

            var result = await administration.UploadAsync(body.Yaml, ApiCallerEndpointFilter.ViewerOf(request.HttpContext).Name, ct);
            return result.Activated
                ? TypedResults.Ok(new { version = result.Version })
                : TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["yaml"] = result.Errors.ToArray() }, title: "The rule set is not valid; nothing changed.");
        });

        admin.MapPost("/api-clients", async (HttpRequest request, ApiClientRegistry clients, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ApiClientBody>(request, loggers.CreateLogger(typeof(AdminEndpoints)), ct);
            if (body is null)
            {
                return error!;
            }

            // Omitted scopes are what an agent needs (submit, attach provenance, read), as before keys had scopes.
            if (ScopesOf(body.Scopes ?? [nameof(ApiScope.SubmitChanges), nameof(ApiScope.AttachProvenance), nameof(ApiScope.ReadChanges)]) is not { } scopes)
            {
                return ScopesProblem(body.Scopes!, "The API client has invalid fields.");
            }

            var creation = await clients.TryCreateAsync(body.Name, scopes, ApiCallerEndpointFilter.ViewerOf(request.HttpContext).Name, ct);
            return creation.Created is { } created
                ? TypedResults.Created($"/api/admin/api-clients/{created.Client.Id}", new { id = created.Client.Id, name = created.Client.Name, key = created.Key, scopes = created.Client.Scopes.Split().Select(s => s.ToString()).ToList() })
                : Results.ValidationProblem(creation.Errors.ToDictionary(), statusCode: creation.Errors.StatusCode, title: "The API client has invalid fields.");
        });

        admin.MapPut("/api-clients/{id:long}/scopes", async (long id, HttpRequest request, ApiClientRegistry clients, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ApiScopesBody>(request, loggers.CreateLogger(typeof(AdminEndpoints)), ct);
            if (body is null)
            {
                return error!;
            }

            if (ScopesOf(body.Scopes ?? []) is not { } scopes)
            {
                return ScopesProblem(body.Scopes!, "The scopes are invalid.");
            }

            return await clients.SetScopesAsync(id, scopes, ApiCallerEndpointFilter.ViewerOf(request.HttpContext).Name, ct) switch
            {
                null => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No active API client {id}."),
                { Any: true } errors => Results.ValidationProblem(errors.ToDictionary(), title: "The scopes are invalid."),
                _ => Results.NoContent(),
            };
        });

        admin.MapDelete("/api-clients/{id:long}", async (long id, ApiClientRegistry clients, CancellationToken ct) =>
            await clients.RevokeAsync(id, ct)
                ? Results.NoContent()
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No active API client {id}."));

        admin.MapGet("/api-clients/{id:long}/repositories", async (long id, ApiClientRegistry clients, IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.ApiClients.AnyAsync(c => c.Id == id, ct))
            {
                return (IResult)TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No API client {id}.");
            }

            var grants = await clients.GrantsOfAsync(id, ct);
            return TypedResults.Ok(grants.Select(g => new GrantSummary(g.RepositoryId, g.Repository!.Name, g.Repository.Provider.ToString(), g.GrantedAt, g.GrantedBy)).ToList());
        });

        admin.MapPost("/api-clients/{id:long}/repositories", async (long id, HttpRequest request, ApiClientRegistry clients, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<GrantBody>(request, loggers.CreateLogger(typeof(AdminEndpoints)), ct);
            if (body is null)
            {
                return error!;
            }

            if (body.RepositoryId is not { } repositoryId)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["repositoryId"] = ["The repositoryId field is required: the id of a registered repository."] },
                    title: "The grant has invalid fields.");
            }

            var outcome = await clients.GrantAsync(id, repositoryId, ApiCallerEndpointFilter.ViewerOf(request.HttpContext).Name, ct);
            var text = outcome.Describe(id.ToString(CultureInfo.InvariantCulture), repositoryId.ToString(CultureInfo.InvariantCulture));
            return outcome switch
            {
                GrantOutcome.Granted => TypedResults.Created($"/api/admin/api-clients/{id}/repositories/{repositoryId}", new { repositoryId }),
                GrantOutcome.NoSuchRepository => TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["repositoryId"] = [text] },
                    title: "The grant has invalid fields."),
                GrantOutcome.NoSuchClient => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: text),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: text),
            };
        });

        admin.MapDelete("/api-clients/{id:long}/repositories/{repositoryId:long}", async (long id, long repositoryId, ApiClientRegistry clients, CancellationToken ct) =>
            await clients.RemoveGrantAsync(id, repositoryId, ct)
                ? Results.NoContent()
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"API client {id} is not granted repository {repositoryId}."));

        return endpoints;
    }

    private static ApiScope? ScopesOf(IReadOnlyList<string?> names) => ApiScopes.Parse(names, out _);

    private static IResult ScopesProblem(IReadOnlyList<string?> names, string title)
    {
        ApiScopes.Parse(names, out var unknown);
        return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["scopes"] = [$"Not a scope: {string.Join(", ", unknown)}. Use {string.Join(", ", ApiScopes.Each)}."],
        }, title: title);
    }

    private static RepositorySummary Summary(ScmRepository r) =>
        new(r.Id, r.Provider.ToString(), r.Name, r.ApiBaseUrl, r.LocalPath, RepositoryRegistry.WebhookPathFor(r), r.AgentAccounts, r.AgentLabels);
}

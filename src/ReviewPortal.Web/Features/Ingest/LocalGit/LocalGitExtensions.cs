using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Scm.LocalGit;

namespace ReviewPortal.Web.Features.Ingest.LocalGit;

/// <summary>The answer to a poll trigger: the poll runs in the background, changes appear when it has run.</summary>
public sealed record PollRequested(long RepositoryId, string Repository);

public static class LocalGitExtensions
{
    public static IServiceCollection AddPortalLocalGit(this IServiceCollection services)
    {
        services.AddOptions<LocalGitSettings>().BindConfiguration(LocalGitSettings.Section)
            .Validate(s => s.IsValid(), $"{LocalGitSettings.Section}: PollSeconds must be 1-86400 and CommandTimeoutSeconds 1-3600 (whole seconds).")
            .ValidateOnStart();
        services.AddSingleton(sp => new LocalGitClient(sp.GetRequiredService<ILogger<LocalGitClient>>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<LocalGitSettings>>().Value.CommandTimeoutSeconds)));
        services.AddSingleton<LocalGitPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalGitPoller>());
        return services;
    }

    public static IEndpointRouteBuilder MapPortalLocalGit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/repositories")
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .DisableAntiforgery()
            .WithTags("Repositories")
            .MapPost("/{id}/poll", TriggerPollAsync)
            .RequireApiScope(ApiScope.TriggerPolls);
        return endpoints;
    }

    // The id is taken as text, not with a route constraint, so that "abc" gets the same 404 problem+json as an unknown number.
    private static async Task<IResult> TriggerPollAsync(string id, HttpContext http, LocalGitPoller poller, IDbContextFactory<PortalDbContext> dbFactory, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(LocalGitExtensions));
        ScmRepository? repository = null;
        if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var repositoryId))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            repository = await db.Repositories.AsNoTracking()
                .FirstOrDefaultAsync(r => r.Id == repositoryId && r.Provider == ScmProvider.LocalGit && r.IsActive, cancellationToken);
        }

        // A repository outside the key's grants answers as an unknown one, so a key cannot map the others.
        if (repository is null || !ApiKeyEndpointFilter.CallerOf(http)!.MayUse(repository.Name))
        {
            logger.LogWarning("Poll trigger rejected: {RepositoryId} is not an active local git repository.", id);
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No active local git repository has this id.",
                detail: $"Repository '{id}' is unknown, inactive, or not a local git repository; only those are polled.");
        }

        poller.RequestPoll(repository.Id);
        return TypedResults.Accepted((string?)null, new PollRequested(repository.Id, repository.Name));
    }
}

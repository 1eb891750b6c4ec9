using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Features.Ingest;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>The changes API's read side: one change, and the queue with the pages' filters, visibility and paging.</summary>
public static class QueueEndpoints
{
    public static IEndpointRouteBuilder MapPortalQueue(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/changes")
            .AddEndpointFilter<ApiCallerEndpointFilter>()
            .RequireApiScope(ApiScope.ReadChanges)
            .WithTags("Changes");
        api.MapGet("/", ListAsync)
            .Produces<QueueListResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("List changes as the queue pages do: view (mine, security, all), repository, tier, state, model, untraced, olderThanHours, slaBreached, q, sort, desc, page, pageSize.");
        api.MapGet("/{id:long}", GetAsync)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read a change's state, tier, assignee and risk breakdown; tier 4 only for security reviewers and the client that submitted it (to anyone else it does not exist).");
        return endpoints;
    }

    private static async Task<Results<Ok<QueueListResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext http, QueueQuery queue, TimeProvider clock, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var viewer = ApiCallerEndpointFilter.ViewerOf(http);
        var parsed = QueueQueryString.Parse(http.Request.Query, QueueView.All, viewFromQuery: true);
        var errors = parsed.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var filter = parsed.Filter;
        if (filter.View == QueueView.Mine && viewer.Person is null && !errors.ContainsKey(QueueQueryString.View))
        {
            errors[QueueQueryString.View] = ["view=mine is the signed-in reviewer's queue; API clients use view=all or view=security."];
        }

        if (errors.Count > 0)
        {
            loggerFactory.CreateLogger(typeof(QueueEndpoints)).LogWarning("Queue API call rejected: invalid parameters {Parameters}.", string.Join(", ", errors.Keys));
            return TypedResults.ValidationProblem(errors, title: "The queue query has invalid parameters.");
        }

        if (filter.View == QueueView.Security && viewer.Person is not null && !viewer.IsSecurityReviewer)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The security queue is visible only to security reviewers.");
        }

        var page = await queue.LoadAsync(filter, viewer, cancellationToken);
        var sla = queue.Sla;
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new QueueListResponse(page.Total, filter.Page, filter.PageSize, page.Rows.Select(r => QueueItem.From(r, sla.Measure(r.Tier, r.SubmittedAt, now))).ToList()));
    }

    private static async Task<Results<Ok<ChangeSummary>, JsonHttpResult<ProblemDetails>>> GetAsync(
        long id, HttpContext http, IAuthorizationService authorization, IDbContextFactory<PortalDbContext> dbFactory, CancellationToken cancellationToken)
    {
        if (await authorization.CheckChangeAsync(http.User, id) != ChangeAccessResult.Allowed)
        {
            return ChangeAccess.NotFoundProblem();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.AsNoTracking()
            .Include(c => c.Revisions.OrderByDescending(r => r.Number).Take(1)).ThenInclude(r => r.RiskContributions)
            .Include(c => c.Decisions)
            .AsSplitQuery()
            .FirstAsync(c => c.Id == id, cancellationToken);
        return TypedResults.Ok(ChangeSummary.From(change));
    }
}

public sealed record QueueListResponse(int Total, int Page, int PageSize, IReadOnlyList<QueueItem> Items);

public sealed record QueueItem(
    long Id,
    string Title,
    string Repository,
    int Tier,
    int RiskScore,
    string State,
    string? ModelVersion,
    bool Untraced,
    bool AgentAuthored,
    string Author,
    string? Branch,
    string? AssignedTo,
    DateTimeOffset SubmittedAt,
    int AgeMinutes,
    int SlaMinutes,
    bool SlaBreached,
    string ReviewUrl)
{
    public static QueueItem From(QueueRow row, Domain.Queue.QueueAge age)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(age);
        return new(row.Id, row.Title, row.Repository, (int)row.Tier, row.RiskScore, row.State.ToString(), row.ModelVersion, row.IsUntraced,
            row.IsAgentAuthored, row.Author, row.SourceBranch, row.AssignedToName, row.SubmittedAt, (int)age.Age.TotalMinutes, (int)age.Sla.TotalMinutes,
            row.State == Domain.Decisions.ChangeState.Pending && age.IsBreached, $"/changes/{row.Id}");
    }
}

public sealed record ChangeSummary(
    long Id,
    string Title,
    string Repository,
    string State,
    int Tier,
    int RiskScore,
    string RuleSetVersion,
    string? AssignedTo,
    IReadOnlyList<ChangeSummary.Contribution> RiskContributions,
    IReadOnlyList<ChangeSummary.DecisionEntry> Decisions)
{
    public static ChangeSummary From(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(
            change.Id,
            change.Title,
            change.Repository,
            change.State.ToString(),
            (int)change.Tier,
            change.RiskScore,
            change.RuleSetVersion,
            change.AssignedToName,
            change.Revisions.SelectMany(r => r.RiskContributions).OrderByDescending(r => r.Points).Select(r => new Contribution(r.RuleId, r.Points, r.Evidence)).ToList(),
            change.Decisions.OrderBy(d => d.DecidedAt).Select(d => new DecisionEntry(d.Kind.ToString(), d.ReviewerName, d.ReviewerEmail, d.Reason, d.DecidedAt)).ToList());
    }

    public sealed record Contribution(string RuleId, int Points, IReadOnlyList<RuleEvidence> Evidence);

    public sealed record DecisionEntry(string Kind, string Reviewer, string? ReviewerEmail, string? Reason, DateTimeOffset DecidedAt);
}

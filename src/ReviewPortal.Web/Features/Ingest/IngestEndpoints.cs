using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure;

namespace ReviewPortal.Web.Features.Ingest;

public static class IngestEndpoints
{
    public static IServiceCollection AddPortalIngest(this IServiceCollection services)
    {
        services.AddSingleton<RevisionRecorder>();
        services.AddSingleton<ChangeSubmissionService>();
        services.AddSingleton<ProvenanceAttachService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalIngest(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/changes")
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .DisableAntiforgery()
            .WithTags("Changes");
        api.MapPost("/", SubmitAsync)
            .Accepts<SubmitChangeRequest>("application/json")
            .Produces<SubmitChangeResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Submit a change with its files and provenance bundle.");
        api.MapPost("/provenance", AttachProvenanceAsync)
            .Accepts<AttachProvenanceRequest>("application/json")
            .Produces<SubmitChangeResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Attach a provenance bundle to a change that arrived by webhook (by repository + number, or head commit).");
        api.MapGet("/{id:long}", GetAsync).WithSummary("Read a change's state, tier and risk breakdown.");
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, ChangeSubmissionService submissions, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(IngestEndpoints));
        var (body, error) = await JsonBody.ReadAsync<SubmitChangeRequest>(request, logger, cancellationToken);
        if (body is null)
        {
            return error!;
        }

        var errors = SubmitChangeValidator.Validate(body);
        if (errors.Count > 0)
        {
            logger.LogWarning("Submission rejected: invalid fields {Fields}.", string.Join(", ", errors.Keys));
            return TypedResults.ValidationProblem(errors, title: "The change submission has invalid fields.");
        }

        var change = await submissions.SubmitAsync(body, submittedBy: ApiKeyEndpointFilter.ClientOf(request.HttpContext)?.Name ?? "api", cancellationToken);
        return TypedResults.Created($"/api/changes/{change.Id}", new SubmitChangeResponse(
            change.Id, change.RiskScore, (int)change.Tier, change.Tier.ToString(), change.RuleSetVersion, $"/changes/{change.Id}"));
    }

    private static async Task<IResult> AttachProvenanceAsync(HttpRequest request, ProvenanceAttachService attach, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(IngestEndpoints));
        var (body, error) = await JsonBody.ReadAsync<AttachProvenanceRequest>(request, logger, cancellationToken);
        if (body is null)
        {
            return error!;
        }

        var errors = SubmitChangeValidator.Validate(body);
        if (errors.Count > 0)
        {
            logger.LogWarning("Provenance rejected: invalid fields {Fields}.", string.Join(", ", errors.Keys));
            return TypedResults.ValidationProblem(errors, title: "The provenance bundle has invalid fields.");
        }

        var change = await attach.AttachAsync(body, cancellationToken);
        return change is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No change matches this repository and number, or this head commit.")
            : TypedResults.Ok(new SubmitChangeResponse(change.Id, change.RiskScore, (int)change.Tier, change.Tier.ToString(), change.RuleSetVersion, $"/changes/{change.Id}"));
    }

    private static async Task<Results<Ok<ChangeSummary>, ProblemHttpResult>> GetAsync(
        long id, IDbContextFactory<PortalDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes.AsNoTracking()
            .Include(c => c.Revisions.OrderByDescending(r => r.Number).Take(1)).ThenInclude(r => r.RiskContributions)
            .Include(c => c.Decisions)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (change is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Change {id} does not exist.");
        }

        return TypedResults.Ok(ChangeSummary.From(change));
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
    IReadOnlyList<ChangeSummary.Contribution> RiskContributions,
    IReadOnlyList<ChangeSummary.DecisionEntry> Decisions)
{
    public static ChangeSummary From(Change change) => new(
        change.Id,
        change.Title,
        change.Repository,
        change.State.ToString(),
        (int)change.Tier,
        change.RiskScore,
        change.RuleSetVersion,
        change.Revisions.SelectMany(r => r.RiskContributions).OrderByDescending(r => r.Points).Select(r => new Contribution(r.RuleId, r.Points, r.Evidence)).ToList(),
        change.Decisions.OrderBy(d => d.DecidedAt).Select(d => new DecisionEntry(d.Kind.ToString(), d.ReviewerName, d.ReviewerEmail, d.Reason, d.DecidedAt)).ToList());

    public sealed record Contribution(string RuleId, int Points, IReadOnlyList<RuleEvidence> Evidence);

    public sealed record DecisionEntry(string Kind, string Reviewer, string? ReviewerEmail, string? Reason, DateTimeOffset DecidedAt);
}

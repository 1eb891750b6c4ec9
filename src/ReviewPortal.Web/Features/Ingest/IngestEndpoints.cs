using ReviewPortal.Domain.ApiClients;
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
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireApiScope(ApiScope.SubmitChanges)
            .WithSummary("Submit a change with its files and provenance bundle (scope SubmitChanges; a client with repository grants only to those).");
        api.MapPost("/provenance", AttachProvenanceAsync)
            .Accepts<AttachProvenanceRequest>("application/json")
            .Produces<SubmitChangeResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireApiScope(ApiScope.AttachProvenance)
            .WithSummary("Attach a provenance bundle to a change (by repository + number, or head commit; scope AttachProvenance): the client that submitted it, or one granted its repository.");
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

        var caller = ApiKeyEndpointFilter.CallerOf(request.HttpContext)!;
        var repository = body.Repository!.Trim();
        if (!caller.MayUse(repository))
        {
            return request.HttpContext.RepositoryRefusal(caller, repository, logger);
        }

        var change = await submissions.SubmitAsync(body, submittedBy: caller.Client.Name, cancellationToken);
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

        var result = await attach.AttachAsync(body, ApiKeyEndpointFilter.ClientOf(request.HttpContext)!, cancellationToken);
        return result switch
        {
            { Outcome: AttachOutcome.Attached, Change: { } change } =>
                TypedResults.Ok(new SubmitChangeResponse(change.Id, change.RiskScore, (int)change.Tier, change.Tier.ToString(), change.RuleSetVersion, $"/changes/{change.Id}")),
            { Outcome: AttachOutcome.NotFound } =>
                TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No change of this repository has this number."),
            // One answer whether the change exists or not, so a key cannot map the changes it may not touch.
            _ => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This API client may not attach provenance to this change.",
                detail: "Only the client that submitted a change, or a client an admin has granted the change's repository (Admin > API clients), may attach or change its provenance."),
        };
    }
}

using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>Scores a validated submission with the risk rules and stores it as a pending change.</summary>
public sealed class ChangeSubmissionService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<ChangeSubmissionService> logger)
{
    public async Task<Change> SubmitAsync(SubmitChangeRequest request, string submittedBy, CancellationToken cancellationToken, DateTimeOffset? submittedAt = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var files = request.Files!.Select(f => f!).ToList();
        var lineChanges = files.Select(f => FileLineChanges.Compute(f.Path!, f.OldContent, f.NewContent)).ToList();
        var assessment = RiskEvaluator.Evaluate(RiskRuleSet.Default, new RiskInput(lineChanges));

        var change = new Change
        {
            Title = request.Title!.Trim(),
            Repository = request.Repository!.Trim(),
            Author = request.Author!.Trim(),
            Prompter = Blank(request.Prompter),
            AgentSessionId = Blank(request.AgentSessionId),
            ModelVersion = Blank(request.ModelVersion),
            Prompt = request.Prompt,
            SubmittedBy = submittedBy,
            SubmittedAt = submittedAt ?? clock.GetUtcNow(),
            RiskScore = assessment.Score,
            Tier = assessment.Tier,
            RuleSetVersion = assessment.RuleSetVersion,
            Additions = lineChanges.Sum(l => l.Additions),
            Deletions = lineChanges.Sum(l => l.Deletions),
            FileCount = files.Count,
            State = ChangeState.Pending,
        };
        for (var i = 0; i < files.Count; i++)
        {
            change.Files.Add(new ChangeFile
            {
                Path = files[i].Path!,
                OldContent = files[i].OldContent,
                NewContent = files[i].NewContent,
                Additions = lineChanges[i].Additions,
                Deletions = lineChanges[i].Deletions,
            });
        }

        foreach (var contribution in assessment.Contributions)
        {
            change.RiskContributions.Add(new RiskContributionRecord
            {
                RuleId = contribution.RuleId,
                Description = contribution.Description,
                Points = contribution.Points,
                Evidence = contribution.Evidence.ToList(),
            });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Changes.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Change {ChangeId} '{Title}' from {SubmittedBy} scored {Score} (tier {Tier}, rules {RuleSetVersion}).",
            change.Id, change.Title, submittedBy, assessment.Score, (int)assessment.Tier, assessment.RuleSetVersion);
        return change;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Ingest.Webhooks;

/// <summary>What an SCM says about a pull/merge request at one moment.</summary>
public sealed record ScmChangeSnapshot(
    int Number,
    string Title,
    string? Description,
    string? Url,
    string Author,
    string SourceBranch,
    string TargetBranch,
    string HeadSha,
    string BaseSha,
    IReadOnlyList<string> Labels,
    string ScmState);

/// <summary>
/// Creates or updates the change of a pull/merge request from an SCM snapshot: a new head commit becomes a new,
/// re-scored revision (its files fetched only then); other events update what they touch.
/// </summary>
public sealed class ChangeIngestor(IDbContextFactory<PortalDbContext> dbFactory, RevisionRecorder revisions, TimeProvider clock, ILogger<ChangeIngestor> logger)
{
    public async Task<long> IngestAsync(
        ScmRepository repository,
        ChangeOrigin origin,
        ScmChangeSnapshot snapshot,
        bool fetchRevision,
        Func<CancellationToken, Task<IReadOnlyList<IncomingFile>>> fetchFiles,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(fetchFiles);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await db.Changes
            .Include(c => c.Decisions)
            .Include(c => c.Revisions.OrderByDescending(r => r.Number).Take(1)).ThenInclude(r => r.RiskContributions)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.RepositoryId == repository.Id && c.ExternalNumber == snapshot.Number, cancellationToken);

        var isNew = change is null;
        change ??= new Change
        {
            Title = snapshot.Title,
            Repository = repository.Name,
            Author = snapshot.Author,
            SubmittedBy = $"{origin.ToString().ToLowerInvariant()}-webhook",
            SubmittedAt = clock.GetUtcNow(),
            Origin = origin,
            RepositoryId = repository.Id,
            ExternalNumber = snapshot.Number,
            State = ChangeState.Pending,
            RuleSetVersion = revisions.RuleSet.Version,
        };
        change.Title = Truncate(snapshot.Title, 300);
        change.ExternalUrl = snapshot.Url;
        change.SourceBranch = snapshot.SourceBranch;
        change.TargetBranch = snapshot.TargetBranch;
        change.ScmState = snapshot.ScmState;
        change.IsAgentAuthored = AuthorshipRules.IsAgentAuthored(repository, snapshot.Author, snapshot.Labels, snapshot.Description);

        var hasHead = change.Revisions.Any(r => r.HeadSha == snapshot.HeadSha);
        if ((fetchRevision || isNew) && !hasHead)
        {
            var files = await fetchFiles(cancellationToken);
            var revision = revisions.Build(change.RevisionCount + 1, snapshot.HeadSha, snapshot.BaseSha, files);
            revisions.Apply(change, revision);
            logger.LogInformation("{Repository}#{Number}: revision {Revision} at {Head} scored {Score} (tier {Tier}).",
                repository.Name, snapshot.Number, revision.Number, snapshot.HeadSha, revision.RiskScore, (int)revision.Tier);
        }

        if (isNew)
        {
            db.Changes.Add(change);
        }

        await db.SaveChangesAsync(cancellationToken);
        return change.Id;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

/// <summary>PRODUCT.md step 2: provenance, a configured agent account, or a configured label makes a change agent-authored.</summary>
internal static class AuthorshipRules
{
    public static bool IsAgentAuthored(ScmRepository repository, string author, IReadOnlyList<string> labels, string? description) =>
        repository.AgentAccounts.Any(pattern => Matches(pattern, author))
        || labels.Any(label => repository.AgentLabels.Contains(label, StringComparer.OrdinalIgnoreCase))
        || (description is not null && description.Contains("Agent-Session:", StringComparison.OrdinalIgnoreCase));

    private static bool Matches(string pattern, string author) => pattern.StartsWith('*')
        ? author.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
        : string.Equals(pattern, author, StringComparison.OrdinalIgnoreCase);
}

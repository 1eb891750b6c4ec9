using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Features.Ingest;

/// <summary>A file of an incoming revision, from the API, a webhook's SCM fetch or git.</summary>
public sealed record IncomingFile(string Path, string? OldContent, string? NewContent, string? PreviousPath = null, bool IsBinary = false);

/// <summary>
/// Turns incoming files into a scored revision and applies it to its change: the change shows the latest
/// revision's score and tier, every revision is kept, a new head reopens the change (decisions count per head
/// commit), and a rise in tier takes earlier approvals away.
/// </summary>
public sealed class RevisionRecorder(RiskRuleProvider rules, IOptionsMonitor<ReviewPolicyOptions> policy, TimeProvider clock)
{
    public RiskRuleSet RuleSet => rules.Current;

    /// <summary>
    /// What a provenance update of <paramref name="change"/> (decisions loaded) needs now: the current policy and time,
    /// <paramref name="source"/> for the timeline, and the user names of the people whose approvals it may void.
    /// </summary>
    public async Task<ProvenanceUpdate> ProvenanceUpdateAsync(PortalDbContext db, Change change, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(change);
        var deciders = change.Decisions.Where(d => !d.IsAutomatic).Select(d => d.ReviewerId).Distinct(StringComparer.Ordinal).ToList();
        var userNames = deciders.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.Users.Where(u => deciders.Contains(u.Id) && u.UserName != null)
                .ToDictionaryAsync(u => u.Id, u => u.UserName!, StringComparer.Ordinal, cancellationToken);
        var headPaths = PolicySubjects.LoadedHeadPaths(change) ?? await PolicySubjects.HeadPathsAsync(db, change.Id, change.RevisionCount, cancellationToken);
        return new ProvenanceUpdate(policy.CurrentValue, clock.GetUtcNow(), source, userNames, headPaths);
    }

    /// <summary>A scored revision of <paramref name="files"/>; the prompt and the provenance's coverage and findings feed the rules.</summary>
    public ChangeRevision Build(int number, string? headSha, string? baseSha, IReadOnlyList<IncomingFile> files, string? prompt = null, ProvenanceBundle? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        // Binary files have no lines to diff or score; they are kept (and shown) as binary.
        var lineChanges = files.Select(f => f.IsBinary ? new FileLineChanges(f.Path, [], []) : FileLineChanges.Compute(f.Path, f.OldContent, f.NewContent)).ToList();
        var assessment = RiskEvaluator.Evaluate(RuleSet, new RiskInput(lineChanges, provenance?.CoveragePercent, provenance?.SecurityFindings, prompt));
        var revision = new ChangeRevision
        {
            Number = number,
            HeadSha = headSha,
            BaseSha = baseSha,
            CreatedAt = clock.GetUtcNow(),
            Additions = lineChanges.Sum(l => l.Additions),
            Deletions = lineChanges.Sum(l => l.Deletions),
            FileCount = files.Count,
            RiskScore = assessment.Score,
            Tier = assessment.Tier,
            RuleSetVersion = assessment.RuleSetVersion,
        };
        for (var i = 0; i < files.Count; i++)
        {
            revision.Files.Add(new ChangeFile
            {
                Path = files[i].Path,
                PreviousPath = files[i].PreviousPath,
                OldContent = files[i].IsBinary ? null : files[i].OldContent,
                NewContent = files[i].IsBinary ? null : files[i].NewContent,
                IsBinary = files[i].IsBinary,
                Additions = lineChanges[i].Additions,
                Deletions = lineChanges[i].Deletions,
                // The diff worker computes and stores it after the revision commits, never per render.
                Diff = files[i].IsBinary ? null : new FileDiffRecord { Status = FileDiffStatus.Pending },
            });
        }

        foreach (var contribution in assessment.Contributions)
        {
            revision.RiskContributions.Add(new RiskContributionRecord
            {
                RuleId = contribution.RuleId,
                Description = contribution.Description,
                Points = contribution.Points,
                Evidence = contribution.Evidence.ToList(),
            });
        }

        return revision;
    }

    /// <summary>Adds <paramref name="revision"/> to <paramref name="change"/> (which must have its decisions loaded).</summary>
    public void Apply(Change change, ChangeRevision revision)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(revision);
        var isFirst = change.RevisionCount == 0;
        var previousTier = change.Tier;
        var previousRules = RuleIds(change.Revisions.OrderByDescending(r => r.Number).FirstOrDefault());

        change.Revisions.Add(revision);
        change.RevisionCount = revision.Number;
        change.HeadSha = revision.HeadSha;
        change.BaseSha = revision.BaseSha;
        change.Additions = revision.Additions;
        change.Deletions = revision.Deletions;
        change.FileCount = revision.FileCount;
        CopyScore(change, revision);
        change.Events.Add(new ChangeEvent
        {
            At = clock.GetUtcNow(),
            Kind = isFirst ? ChangeEventKind.Submitted : ChangeEventKind.Revision,
            Detail = $"Revision {revision.Number}{ShortSha(revision.HeadSha)}: {revision.FileCount} {(revision.FileCount == 1 ? "file" : "files")}, +{revision.Additions} −{revision.Deletions}, score {revision.RiskScore}, tier {(int)revision.Tier}.",
            RevisionNumber = revision.Number,
        });

        if (!isFirst)
        {
            ReopenForNewHead(change, revision);
            ResetApprovalsIfTierRose(change, previousTier, previousRules, revision);
        }
    }

    /// <summary>
    /// Decisions count per head commit (docs/decisions/0013): a new head is pending again whatever the previous one
    /// was (approved, rejected, sent back for changes), and approvals of earlier commits stay on record without counting.
    /// </summary>
    private void ReopenForNewHead(Change change, ChangeRevision revision)
    {
        var stale = change.Decisions.Count(d => d.Kind == DecisionKind.Approve && d.ResetAt is null && d.RevisionNumber == revision.Number - 1);
        var staleText = stale == 0 ? "" : $" {stale} earlier approval{(stale == 1 ? "" : "s")} no longer count{(stale == 1 ? "s" : "")}; the policy needs approvals of the new head.";
        if (change.State != ChangeState.Pending)
        {
            var was = change.State switch
            {
                ChangeState.Approved => "approved",
                ChangeState.Rejected => "rejected",
                _ => "sent back for changes",
            };
            change.Events.Add(new ChangeEvent
            {
                At = clock.GetUtcNow(),
                Kind = ChangeEventKind.Reopened,
                Detail = $"Revision {revision.Number}{ShortSha(revision.HeadSha)} was pushed, so the change is pending again: the previous head was {was}{(change.DecidedBy is null ? "" : $" by {change.DecidedBy}")}.{staleText}",
                RevisionNumber = revision.Number,
            });
            change.State = ChangeState.Pending;
            change.DecidedAt = null;
            change.DecidedBy = null;
        }
        else if (stale > 0)
        {
            change.Events.Add(new ChangeEvent { At = clock.GetUtcNow(), Kind = ChangeEventKind.ApprovalsStale, Detail = $"Revision {revision.Number}{ShortSha(revision.HeadSha)} was pushed.{staleText}", RevisionNumber = revision.Number });
        }
    }

    /// <summary>
    /// Scores the latest revision again (its files must be loaded) with what the change now knows, such as a
    /// provenance bundle that arrived after the webhook; a rise in tier resets approvals as a new push would.
    /// </summary>
    public void Rescore(Change change, ChangeRevision latest, string why)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(latest);
        var previousTier = change.Tier;
        var previousScore = latest.RiskScore;
        var previousRules = RuleIds(latest);
        var files = latest.Files.Select(f => new IncomingFile(f.Path, f.OldContent, f.NewContent, f.PreviousPath, f.IsBinary)).ToList();
        var rescored = Build(latest.Number, latest.HeadSha, latest.BaseSha, files, change.Prompt, change.Provenance);

        latest.RiskScore = rescored.RiskScore;
        latest.Tier = rescored.Tier;
        latest.RuleSetVersion = rescored.RuleSetVersion;
        latest.RiskContributions.Clear();
        latest.RiskContributions.AddRange(rescored.RiskContributions);
        CopyScore(change, latest);
        change.Events.Add(new ChangeEvent
        {
            At = clock.GetUtcNow(),
            Kind = ChangeEventKind.Rescored,
            Detail = previousScore == latest.RiskScore && previousTier == latest.Tier
                ? $"{why}: score and tier unchanged ({latest.RiskScore}, tier {(int)latest.Tier})."
                : $"{why}: score {previousScore} → {latest.RiskScore}, tier {(int)previousTier} → {(int)latest.Tier}.",
            RevisionNumber = latest.Number,
        });
        ResetApprovalsIfTierRose(change, previousTier, previousRules, latest);
    }

    private static HashSet<string> RuleIds(ChangeRevision? revision) =>
        revision?.RiskContributions.Select(c => c.RuleId).ToHashSet(StringComparer.Ordinal) ?? new HashSet<string>(StringComparer.Ordinal);

    private static void CopyScore(Change change, ChangeRevision revision)
    {
        change.RiskScore = revision.RiskScore;
        change.Tier = revision.Tier;
        change.RuleSetVersion = revision.RuleSetVersion;
    }

    private void ResetApprovalsIfTierRose(Change change, RiskTier previousTier, HashSet<string> previousRules, ChangeRevision revision)
    {
        if (revision.Tier <= previousTier)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var newRules = revision.RiskContributions.Where(c => !previousRules.Contains(c.RuleId)).Select(c => $"{c.RuleId} (+{c.Points})").ToList();
        var reason = $"Tier rose from {(int)previousTier} to {(int)revision.Tier} at revision {revision.Number}"
                     + (newRules.Count > 0 ? $": {string.Join(", ", newRules)}." : ".");
        change.Events.Add(new ChangeEvent { At = now, Kind = ChangeEventKind.TierRaised, Detail = reason, RevisionNumber = revision.Number });

        var reset = 0;
        foreach (var approval in change.Decisions.Where(d => d.Kind == DecisionKind.Approve && d.ResetAt is null))
        {
            approval.ResetAt = now;
            approval.ResetReason = reason;
            reset++;
        }

        if (change.State == ChangeState.Approved)
        {
            change.State = ChangeState.Pending;
            change.DecidedAt = null;
            change.DecidedBy = null;
        }

        if (reset > 0)
        {
            change.Events.Add(new ChangeEvent { At = now, Kind = ChangeEventKind.ApprovalsReset, Detail = $"{reset} approval(s) reset. {reason}", RevisionNumber = revision.Number });
        }
    }

    private static string ShortSha(string? sha) => sha is { Length: >= 7 } ? $" ({sha[..7]})" : "";
}

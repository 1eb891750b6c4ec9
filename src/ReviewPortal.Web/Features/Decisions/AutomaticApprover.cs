using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Decisions;

/// <summary>
/// Approves changes whose tier allows it (tier 1 by default) once all their checks pass and the wait period after
/// their head revision arrived has elapsed; every <c>Review:Policy:AutomaticApproval:CheckInterval</c>. The approval
/// is an ordinary decision by <see cref="ReviewerName"/>, with the rule and the facts that allowed it, and any
/// reviewer can veto it. Safe with several portal instances on one database: each approval writes the change row
/// under xmin, so of two instances approving the same change one wins and the other finds it approved.
/// </summary>
public sealed class AutomaticApprover(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptionsMonitor<ReviewPolicyOptions> policy,
    TimeProvider clock,
    ILogger<AutomaticApprover> logger) : BackgroundService
{
    public const string ReviewerId = "reviewportal:automatic";
    public const string ReviewerName = "ReviewPortal (automatic)";

    // A sweep looks at this many candidates at most; the next sweep takes the rest.
    private const int BatchSize = 200;
    private const int MaxAttempts = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var options = policy.CurrentValue.AutomaticApproval;
            try
            {
                // Reads Enabled itself, on every sweep.
                await ApproveEligibleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Automatic approval failed; trying again in {Interval}.", options.CheckInterval);
            }

            try
            {
                await Task.Delay(options.CheckInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One sweep: approves every change eligible now and returns how many it approved.</summary>
    public async Task<int> ApproveEligibleAsync(CancellationToken cancellationToken = default)
    {
        var options = policy.CurrentValue;
        if (!options.AutomaticApproval.Enabled)
        {
            return 0;
        }

        var tiers = Enum.GetValues<Domain.Risk.RiskTier>().Where(t => options.For(t).AutomaticApproval).ToList();
        if (tiers.Count == 0)
        {
            return 0;
        }

        // Only a cheap pre-selection: the policy decides on each candidate, read fresh.
        var cutoff = clock.GetUtcNow() - options.AutomaticApproval.WaitPeriod;
        List<long> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            candidates = await db.Changes.AsNoTracking()
                .Where(c => c.State == ChangeState.Pending && c.ScmState == "open" && tiers.Contains(c.Tier) && c.RevisionCount > 0)
                .Where(c => db.Revisions.Any(r => r.ChangeId == c.Id && r.Number == c.RevisionCount && r.CreatedAt <= cutoff))
                .OrderBy(c => c.Id)
                .Select(c => c.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        var approved = 0;
        foreach (var id in candidates)
        {
            if (await TryApproveAsync(id, cancellationToken))
            {
                approved++;
            }
        }

        return approved;
    }

    /// <summary>Approves change <paramref name="changeId"/> if the policy allows it automatically now; false when it does not (or someone else did first).</summary>
    public async Task<bool> TryApproveAsync(long changeId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var change = await db.Changes.Include(c => c.Decisions).AsSplitQuery().FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
            if (change is null)
            {
                return false;
            }

            var headArrivedAt = await db.Revisions.Where(r => r.ChangeId == changeId && r.Number == change.RevisionCount)
                .Select(r => (DateTimeOffset?)r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var headPaths = await PolicySubjects.HeadPathsAsync(db, changeId, change.RevisionCount, cancellationToken);
            var verdict = ReviewPolicy.EvaluateAutomaticApproval(policy.CurrentValue, PolicySubjects.From(change, headArrivedAt, headPaths: headPaths), now);
            if (!verdict.IsEligible)
            {
                return false;
            }

            change.Record(new Decision
            {
                ChangeId = change.Id,
                Kind = DecisionKind.Approve,
                ReviewerId = ReviewerId,
                ReviewerName = ReviewerName,
                IsAutomatic = true,
                PolicyRule = verdict.Rule,
                DecidedAt = now,
                // The head the verdict was reached on, read in this attempt: a push since fails the save on xmin.
                RevisionNumber = change.RevisionCount,
                CommitSha = change.HeadSha,
            }, ChangeState.Approved);
            db.Entry(change).Property(c => c.State).IsModified = true;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance, a reviewer or a push got there first: read it again and let the policy judge.
                logger.LogInformation("Automatic approval of change {ChangeId} met a concurrent update (attempt {Attempt}).", changeId, attempt);
                continue;
            }

            // Pages learn of it from the save itself (ChangeNotificationInterceptor: a decision added is Decided).
            logger.LogInformation("Change {ChangeId} approved automatically at revision {Revision}: {Rule}", changeId, change.RevisionCount, verdict.Rule);
            return true;
        }

        return false;
    }
}

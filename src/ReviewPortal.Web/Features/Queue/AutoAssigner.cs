using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>What one assignment pass did; <see cref="Skipped"/> when another instance was running one.</summary>
public sealed record AssignmentPass(bool Skipped, int Assigned, int Unassigned);

/// <summary>
/// Assigns open changes automatically, once per tier (<see cref="Change.AutoAssignedTier"/>): a change of a
/// configured tier that has not been assigned at this tier goes to the least-loaded eligible reviewer, so a released
/// change is not handed straight back, while a rise in tier assigns it again. An assignee who may no longer hold a
/// change (its tier rose to 4 and they are no security reviewer, or they lost their reviewer role) is taken off it.
/// One pass runs at a time across every portal instance on the database (a transaction-scoped advisory lock); a
/// claim racing the pass resolves on the change's xmin.
/// </summary>
public sealed class AutoAssigner(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptionsMonitor<AssignmentSettings> settings,
    TimeProvider clock,
    ILogger<AutoAssigner> logger)
{
    /// <summary>The advisory lock key of the assignment pass ("rp-asgn" as bytes), the same on every instance.</summary>
    public const long AdvisoryLockKey = 0x72702D6173676E;

    private const int BatchSize = 200;

    public async Task<AssignmentPass> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var rules = settings.CurrentValue.ToRules();
        var autoTiers = rules.Tiers.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!locked)
        {
            return new AssignmentPass(Skipped: true, 0, 0);
        }

        var (candidates, lockedOut) = await LoadCandidatesAsync(db, cancellationToken);
        var byId = candidates.ToDictionary(c => c.Reviewer.UserId, StringComparer.Ordinal);
        var load = candidates.ToDictionary(c => c.Reviewer.UserId, c => c.OpenAssignments, StringComparer.Ordinal);

        var reviewerRoleIds = await db.Roles.Where(r => r.Name == PortalRoles.Reviewer || r.Name == PortalRoles.SecurityReviewer).Select(r => r.Id).ToListAsync(cancellationToken);
        var securityRoleId = await db.Roles.Where(r => r.Name == PortalRoles.SecurityReviewer).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var due = await QueueQuery.OpenForReview(db.Changes.AsNoTracking())
            .Where(c => (autoTiers.Contains(c.Tier) && (c.AutoAssignedTier == null || c.AutoAssignedTier != c.Tier))
                        || (c.AssignedToId != null && c.Tier == RiskTier.Critical && !db.UserRoles.Any(ur => ur.UserId == c.AssignedToId && ur.RoleId == securityRoleId))
                        || (c.AssignedToId != null && !db.UserRoles.Any(ur => ur.UserId == c.AssignedToId && reviewerRoleIds.Contains(ur.RoleId))))
            .OrderByDescending(c => c.Tier).ThenBy(c => c.SubmittedAt).ThenBy(c => c.Id)
            .Select(c => c.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        int assigned = 0, unassigned = 0;
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            var change = await db.Changes.FirstAsync(c => c.Id == id, cancellationToken);
            var now = clock.GetUtcNow();
            var holderBefore = change.AssignedToId;
            var outcome = Reassign(change, rules, byId, lockedOut, load, now);
            if (outcome == Outcome.None)
            {
                continue;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A claim (or a decision, or a new push) got there first; the next pass looks at it again.
                logger.LogDebug("Change {ChangeId} moved during automatic assignment; left for the next pass.", id);
                UndoLoad(change, holderBefore, byId, load, outcome);
                continue;
            }

            assigned += outcome.HasFlag(Outcome.Assigned) ? 1 : 0;
            unassigned += outcome.HasFlag(Outcome.Unassigned) ? 1 : 0;
        }

        // Each save above queued its Assigned notice in this transaction (ChangeNotificationInterceptor); commit delivers them.
        await transaction.CommitAsync(cancellationToken);

        if (assigned + unassigned > 0)
        {
            logger.LogInformation("Automatic assignment: {Assigned} assigned, {Unassigned} taken off reviewers who may no longer hold them.", assigned, unassigned);
        }

        return new AssignmentPass(Skipped: false, assigned, unassigned);
    }

    /// <summary>Changes waiting for a reviewer's decision: pending, with their pull/merge request still open.</summary>
    [Flags]
    private enum Outcome
    {
        None = 0,
        Marked = 1,
        Assigned = 2,
        Unassigned = 4,
    }

    private Outcome Reassign(Change change, AssignmentRules rules, Dictionary<string, AssignmentCandidate> byId, HashSet<string> lockedOut, Dictionary<string, int> load, DateTimeOffset now)
    {
        var outcome = Outcome.None;
        var subject = ClaimService.Subject(change);
        if (change.AssignedToId is { } holderId && !(byId.TryGetValue(holderId, out var holder) && ReviewerClaims.CanHold(subject, holder.Reviewer).Allowed))
        {
            change.Events.Add(new ChangeEvent
            {
                At = now,
                Kind = ChangeEventKind.Unassigned,
                Detail = $"Taken off {change.AssignedToName}, who can no longer review a tier-{(int)change.Tier} change.",
                RevisionNumber = change.RevisionCount,
            });
            if (load.ContainsKey(holderId))
            {
                load[holderId]--;
            }

            change.AssignedToId = null;
            change.AssignedToName = null;
            change.AssignedAt = null;
            outcome |= Outcome.Unassigned;
        }

        if (!rules.Tiers.Contains(change.Tier) || change.AutoAssignedTier == change.Tier)
        {
            return outcome;
        }

        if (change.AssignedToId is null)
        {
            var available = byId.Values.Where(c => !lockedOut.Contains(c.Reviewer.UserId)).Select(c => c with { OpenAssignments = load[c.Reviewer.UserId] });
            var chosen = ReviewerAssignment.Choose(ClaimService.Subject(change), available, rules);
            if (chosen is null)
            {
                // Nobody can take it now; it stays unmarked, so a later pass assigns it once someone can.
                logger.LogDebug("No eligible reviewer for tier-{Tier} change {ChangeId}.", (int)change.Tier, change.Id);
                return outcome;
            }

            change.AssignedToId = chosen.Reviewer.UserId;
            change.AssignedToName = chosen.Reviewer.Name;
            change.AssignedAt = now;
            load[chosen.Reviewer.UserId]++;
            change.Events.Add(new ChangeEvent
            {
                At = now,
                Kind = ChangeEventKind.AutoAssigned,
                Detail = $"Assigned to {chosen.Reviewer.Name} automatically (tier {(int)change.Tier}, {chosen.OpenAssignments} open change(s) before).",
                RevisionNumber = change.RevisionCount,
            });
            outcome |= Outcome.Assigned;
        }

        change.AutoAssignedTier = change.Tier;
        return outcome | Outcome.Marked;
    }

    /// <summary>The save lost: the change still sits with <paramref name="holderBefore"/>, so the loads go back to what they were.</summary>
    private static void UndoLoad(Change change, string? holderBefore, Dictionary<string, AssignmentCandidate> byId, Dictionary<string, int> load, Outcome outcome)
    {
        if (outcome.HasFlag(Outcome.Assigned) && change.AssignedToId is { } assignee && byId.ContainsKey(assignee))
        {
            load[assignee]--;
        }

        if (outcome.HasFlag(Outcome.Unassigned) && holderBefore is not null && load.ContainsKey(holderBefore))
        {
            load[holderBefore]++;
        }
    }

    /// <summary>
    /// Reviewers and security reviewers with the open changes each holds now, and which of them are locked out (they
    /// keep what they hold, and get nothing new).
    /// </summary>
    private async Task<(List<AssignmentCandidate> Candidates, HashSet<string> LockedOut)> LoadCandidatesAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var memberships = await db.UserRoles
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, Role = r.Name! })
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, m.Role, u.UserName, u.Email, u.DisplayName, LockedOut = u.LockoutEnabled && u.LockoutEnd > now })
            .ToListAsync(cancellationToken);
        var loads = await QueueQuery.OpenForReview(db.Changes.AsNoTracking())
            .Where(c => c.AssignedToId != null)
            .GroupBy(c => c.AssignedToId!)
            .Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UserId, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var candidates = memberships
            .GroupBy(m => m.UserId, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                var userName = first.UserName ?? first.UserId;
                var person = new Reviewer(first.UserId, userName, first.Email, g.Select(m => m.Role).ToHashSet(StringComparer.Ordinal), first.DisplayName);
                return new AssignmentCandidate(person, loads.GetValueOrDefault(first.UserId));
            })
            .Where(c => c.Reviewer.ReviewsChanges)
            .ToList();
        return (candidates, memberships.Where(m => m.LockedOut).Select(m => m.UserId).ToHashSet(StringComparer.Ordinal));
    }
}

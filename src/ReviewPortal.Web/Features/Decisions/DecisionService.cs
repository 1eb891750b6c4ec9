using Microsoft.AspNetCore.Authorization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Features.Decisions;

/// <summary>
/// What happened to a decision. <see cref="ChangesSinceRevision"/> is set when it was refused because the head moved
/// past the revision the reviewer was looking at: the page links to the changes from there to <see cref="HeadRevision"/>.
/// On a success, <see cref="Kind"/> and <see cref="Target"/> say what was recorded.
/// </summary>
public sealed record DecisionOutcome(
    bool Succeeded, string Message, ChangeState? State = null, int? HeadRevision = null, int? ChangesSinceRevision = null, DecisionKind? Kind = null, DecisionTarget? Target = null)
{
    public static DecisionOutcome Fail(string message) => new(false, message);
}

/// <summary>
/// Records a reviewer's decision under the tier policy, checked at the moment of the decision: the decider's account,
/// roles and provider groups are read again from the database (a Blazor circuit's cached identity may be hours old), and the change is
/// read fresh. Every decision writes the change row, so PostgreSQL's xmin orders it against pushes and other
/// decisions: on a conflict the change is read again and the decision checked again, and recorded if it still may be
/// (two approvals by different people never conflict); otherwise the reviewer is told what happened meanwhile.
/// </summary>
public sealed class DecisionService(
    IServiceScopeFactory scopes,
    IOptionsMonitor<ReviewPolicyOptions> policy,
    TimeProvider clock,
    ILogger<DecisionService> logger)
{
    // Each conflict means another decision or a push committed in between; a handful covers any real burst.
    private const int MaxAttempts = 5;

    /// <summary>
    /// Checks and records a decision by the signed-in user on <paramref name="confirmed"/>: the revision and commit that
    /// were on the reviewer's screen when they decided. It is recorded only while that commit is still the head;
    /// otherwise the reviewer is told what arrived.
    /// </summary>
    public async Task<DecisionOutcome> DecideAsync(long changeId, ClaimsPrincipal principal, DecisionTarget confirmed, DecisionKind kind, string? comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(confirmed);
        ReviewSubject? firstSeen = null;
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            // A fresh scope: the person and their roles are read from the database now, not from the circuit's cache.
            var decider = await scope.ServiceProvider.GetRequiredService<CurrentReviewer>().GetAsync(principal, cancellationToken);
            if (decider is null)
            {
                logger.LogWarning("Decision on change {ChangeId} refused: the signed-in account no longer exists or is locked.", changeId);
                return DecisionOutcome.Fail("Your account could not be verified. Sign in again.");
            }

            var change = await db.Changes.Include(c => c.Decisions).AsSplitQuery().FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
            if (change is null)
            {
                return DecisionOutcome.Fail(ChangeAccess.NotFoundMessage);
            }

            var headArrivedAt = await db.Revisions.Where(r => r.ChangeId == changeId && r.Number == change.RevisionCount)
                .Select(r => (DateTimeOffset?)r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            var headPaths = await PolicySubjects.HeadPathsAsync(db, changeId, change.RevisionCount, cancellationToken);
            var subject = PolicySubjects.From(change, headArrivedAt, headPaths: headPaths);
            firstSeen ??= subject;
            var options = policy.CurrentValue;
            var check = await scope.ServiceProvider.GetRequiredService<IAuthorizationService>()
                .AuthorizeAsync(principal, new ChangeResource(changeId, subject, confirmed, new DecisionComment(comment)), ChangeOperation.Decide(kind));
            if (!check.Succeeded && check.Reason() == ChangeAccess.NotFoundMessage)
            {
                // A change the decider may not see (tier 4) is answered as a missing one, and the attempt logged.
                return DecisionOutcome.Fail(ChangeAccess.NotFoundMessage);
            }

            if (!check.Succeeded)
            {
                var message = attempt == 1 ? check.Reason()! : ExplainLostRace(firstSeen, subject, decider, kind, check.Reason()!);
                logger.LogWarning("Decision {Kind} on change {ChangeId} (revision {Revision}, commit {Commit}) by {User} refused: {Reason}",
                    kind, changeId, confirmed.Revision, confirmed.Commit, decider.UserName, message);
                return new DecisionOutcome(false, message, change.State, change.RevisionCount, ChangesSince(confirmed, subject));
            }

            var decision = new Decision
            {
                ChangeId = change.Id,
                Kind = kind,
                Reason = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
                ReviewerId = decider.UserId,
                ReviewerName = decider.Name,
                ReviewerEmail = decider.Email,
                ReviewerRoles = decider.Roles.Order(StringComparer.Ordinal).ToList(),
                ReviewerGroups = decider.Groups.Order(StringComparer.Ordinal).ToList(),
                DecidedAt = clock.GetUtcNow(),
                RevisionNumber = confirmed.Revision,
                CommitSha = confirmed.Commit,
            };
            var state = ReviewPolicy.StateAfter(options, subject, PolicySubjects.ToRecorded(decision));
            var vetoesAutomaticApproval = change.State == ChangeState.Approved && kind != DecisionKind.Approve;
            change.Record(decision, state);
            // Written even when the state stays (a first tier-4 approval), so that xmin guards every decision.
            db.Entry(change).Property(c => c.State).IsModified = true;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogInformation("Decision {Kind} on change {ChangeId} by {User} met a concurrent update (attempt {Attempt}); checking it again.", kind, changeId, decider.UserName, attempt);
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogWarning("Decision {Kind} on change {ChangeId} by {User} gave up after {Attempts} concurrent updates.", kind, changeId, decider.UserName, attempt);
                return DecisionOutcome.Fail("The change kept changing while you were deciding, so nothing was recorded. Look at it again, then decide.");
            }

            // Pages learn of it from the save itself (ChangeNotificationInterceptor: a decision added is Decided).
            logger.LogInformation("Change {ChangeId} {Kind} by {User} on revision {Revision} ({Commit}); state {State}.", changeId, kind, decider.UserName, confirmed.Revision, confirmed.Commit, change.State);
            // Worded from what was saved, so the text can never claim more than the state on record.
            var saved = PolicySubjects.From(change, headArrivedAt, headPaths: headPaths);
            return new DecisionOutcome(true, Confirmation(kind, confirmed, saved, ReviewPolicy.Evaluate(options, saved), vetoesAutomaticApproval), change.State, change.RevisionCount,
                Kind: kind, Target: confirmed);
        }
    }

    /// <summary>
    /// What a recorded decision's message says once the change moved on after it (a push, someone else's decision): the
    /// truth as of <paramref name="now"/>, never the text of the moment it was saved.
    /// </summary>
    public static DecisionOutcome AsOf(DecisionOutcome outcome, ReviewSubject now, ReviewPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(now);
        if (outcome is not { Succeeded: true, Kind: { } kind, Target: { } target } || (outcome.State == now.State && outcome.HeadRevision == now.HeadRevision))
        {
            return outcome;
        }

        var message = now.IsHead(target)
            ? Confirmation(kind, target, now, ReviewPolicy.Evaluate(options, now), vetoesAutomaticApproval: false)
            : $"{Did(kind, target)}. Since then {now.HeadNoun} arrived: review the changes since, then decide.";
        return outcome with { Message = message, State = now.State, HeadRevision = now.HeadRevision, ChangesSinceRevision = ChangesSince(target, now) };
    }

    private static int? ChangesSince(DecisionTarget seen, ReviewSubject subject) =>
        seen.Revision >= 1 && seen.Revision < subject.HeadRevision ? seen.Revision : null;

    private static string Confirmation(DecisionKind kind, DecisionTarget target, ReviewSubject saved, ApprovalStatus status, bool vetoesAutomaticApproval) => kind switch
    {
        DecisionKind.Approve when saved.State == ChangeState.Approved => $"{Did(kind, target)}. The change is approved.",
        DecisionKind.Approve => $"{Did(kind, target)}. Still needed: {string.Join("; ", status.Needs.Select(n => n.Description))}.",
        _ when vetoesAutomaticApproval => $"{Did(kind, target)}, overriding its automatic approval.",
        _ => $"{Did(kind, target)}.",
    };

    private static string Did(DecisionKind kind, DecisionTarget target) => kind switch
    {
        DecisionKind.Approve => $"You approved {target.Label}",
        DecisionKind.Reject => $"You rejected {target.Label}",
        _ => $"You requested changes on {target.Label}",
    };

    /// <summary>Why a decision that was allowed when the reviewer started lost to something that committed first.</summary>
    private static string ExplainLostRace(ReviewSubject before, ReviewSubject now, Reviewer decider, DecisionKind kind, string reason)
    {
        var doing = kind switch { DecisionKind.Approve => "approving", DecisionKind.Reject => "rejecting", _ => "requesting changes" };
        if (!now.IsHead(before.Head))
        {
            // The policy's reason already names the commit that arrived.
            return reason;
        }

        var seen = before.Decisions.Select(d => (d.DeciderId, d.DecidedAt)).ToHashSet();
        var winner = now.Decisions.Where(d => !seen.Contains((d.DeciderId, d.DecidedAt)) && !string.Equals(d.DeciderId, decider.UserId, StringComparison.Ordinal)).MaxBy(d => d.DecidedAt);
        if (winner is null)
        {
            return reason;
        }

        var did = winner.Kind switch { DecisionKind.Approve => "approved", DecisionKind.Reject => "rejected", _ => "requested changes on" };
        var yours = kind switch { DecisionKind.Approve => "approval", DecisionKind.Reject => "rejection", _ => "request for changes" };
        var lost = $"{winner.DeciderName} {did} this change while you were {doing}, so your {yours} was not recorded";
        return now.State == ChangeState.Pending ? $"{lost}. {reason}" : $"{lost}; a new commit reopens it.";
    }
}

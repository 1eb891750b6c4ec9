using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Decisions;

/// <summary>
/// What happened to a decision. <see cref="ChangesSinceRevision"/> is set when it was refused because the head moved
/// past the revision the reviewer was looking at: the page links to the changes from there to <see cref="HeadRevision"/>.
/// </summary>
public sealed record DecisionOutcome(bool Succeeded, string Message, ChangeState? State = null, int? HeadRevision = null, int? ChangesSinceRevision = null)
{
    public static DecisionOutcome Fail(string message) => new(false, message);
}

/// <summary>
/// Records a reviewer's decision under the tier policy, checked at the moment of the decision: the decider's account
/// and roles are read again from the database (a Blazor circuit's cached identity may be hours old), and the change is
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
    /// Checks and records a decision on the head of a change by the signed-in user. The revision number is the one the
    /// reviewer was looking at: only the head can be decided on.
    /// </summary>
    public async Task<DecisionOutcome> DecideAsync(long changeId, ClaimsPrincipal principal, int revisionNumber, DecisionKind kind, string? comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ReviewSubject? firstSeen = null;
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

            var user = await users.GetUserAsync(principal);
            if (user is null || await users.IsLockedOutAsync(user))
            {
                logger.LogWarning("Decision on change {ChangeId} refused: the signed-in account no longer exists or is locked.", changeId);
                return DecisionOutcome.Fail("Your account could not be verified. Sign in again.");
            }

            var roles = (await users.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal);
            var change = await db.Changes.Include(c => c.Decisions).AsSplitQuery().FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
            if (change is null)
            {
                return DecisionOutcome.Fail($"Change {changeId} does not exist.");
            }

            var headArrivedAt = await db.Revisions.Where(r => r.ChangeId == changeId && r.Number == change.RevisionCount)
                .Select(r => (DateTimeOffset?)r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            var subject = PolicySubjects.From(change, headArrivedAt);
            firstSeen ??= subject;
            var decider = new Decider(user.Id, user.UserName ?? user.Id, user.Email, roles);
            var options = policy.CurrentValue;
            var check = ReviewPolicy.Check(options, subject, decider, kind, revisionNumber, comment);
            if (!check.Allowed)
            {
                var message = attempt == 1 ? check.Reason! : ExplainLostRace(firstSeen, subject, decider, kind, check.Reason!);
                logger.LogWarning("Decision {Kind} on change {ChangeId} (revision {Revision}) by {User} refused: {Reason}", kind, changeId, revisionNumber, user.UserName, message);
                return new DecisionOutcome(false, message, change.State, change.RevisionCount, revisionNumber >= 1 && revisionNumber < change.RevisionCount ? revisionNumber : null);
            }

            var decision = new Decision
            {
                ChangeId = change.Id,
                Kind = kind,
                Reason = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
                ReviewerId = user.Id,
                ReviewerName = string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName,
                ReviewerEmail = user.Email,
                ReviewerRoles = roles.Order(StringComparer.Ordinal).ToList(),
                DecidedAt = clock.GetUtcNow(),
                RevisionNumber = change.RevisionCount,
                CommitSha = change.HeadSha,
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
                logger.LogInformation("Decision {Kind} on change {ChangeId} by {User} met a concurrent update (attempt {Attempt}); checking it again.", kind, changeId, user.UserName, attempt);
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogWarning("Decision {Kind} on change {ChangeId} by {User} gave up after {Attempts} concurrent updates.", kind, changeId, user.UserName, attempt);
                return DecisionOutcome.Fail("The change kept changing while you were deciding, so nothing was recorded. Look at it again, then decide.");
            }

            // Pages learn of it from the save itself (ChangeNotificationInterceptor: a decision added is Decided).
            logger.LogInformation("Change {ChangeId} {Kind} by {User} on revision {Revision}; state {State}.", changeId, kind, user.UserName, change.RevisionCount, state);
            var status = ReviewPolicy.Evaluate(options, PolicySubjects.From(change, headArrivedAt));
            return new DecisionOutcome(true, Confirmation(kind, subject.HeadLabel, state, status, vetoesAutomaticApproval), state, change.RevisionCount);
        }
    }

    private static string Confirmation(DecisionKind kind, string head, ChangeState state, ApprovalStatus status, bool vetoesAutomaticApproval) => kind switch
    {
        DecisionKind.Approve when state == ChangeState.Approved => $"You approved {head}. The change is approved.",
        DecisionKind.Approve => $"You approved {head}. Still needed: {string.Join("; ", status.Needs.Select(n => n.Description))}.",
        DecisionKind.Reject => vetoesAutomaticApproval ? $"You rejected {head}, overriding its automatic approval." : $"You rejected {head}.",
        _ => vetoesAutomaticApproval ? $"You requested changes on {head}, overriding its automatic approval." : $"You requested changes on {head}.",
    };

    /// <summary>Why a decision that was allowed when the reviewer started lost to something that committed first.</summary>
    private static string ExplainLostRace(ReviewSubject before, ReviewSubject now, Decider decider, DecisionKind kind, string reason)
    {
        var doing = kind switch { DecisionKind.Approve => "approving", DecisionKind.Reject => "rejecting", _ => "requesting changes" };
        if (now.HeadRevision != before.HeadRevision)
        {
            return $"A new commit was pushed while you were {doing}. {reason}";
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

using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Decisions;

public sealed record DecisionOutcome(bool Succeeded, string Message)
{
    public static DecisionOutcome Fail(string message) => new(false, message);
}

/// <summary>
/// Records a reviewer's decision. The decider's account and roles are read again from the database at the
/// moment of the decision: a Blazor circuit's cached identity may be hours old.
/// </summary>
public sealed class DecisionService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DecisionService> logger)
{
    public async Task<DecisionOutcome> DecideAsync(long changeId, ClaimsPrincipal principal, DecisionKind kind, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
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
        var change = await db.Changes.FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
        if (change is null)
        {
            return DecisionOutcome.Fail($"Change {changeId} does not exist.");
        }

        var decider = new Decider(user.UserName ?? user.Id, user.Email, roles);
        var check = DecisionPolicy.Check(new DecisionSubject(change.State, change.Author, change.Prompter), decider, kind, reason);
        if (!check.Allowed)
        {
            logger.LogWarning("Decision {Kind} on change {ChangeId} by {User} refused: {Reason}", kind, changeId, user.UserName, check.Reason);
            return DecisionOutcome.Fail(check.Reason!);
        }

        var now = clock.GetUtcNow();
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName;
        change.Record(new Decision
        {
            ChangeId = change.Id,
            Kind = kind,
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            ReviewerId = user.Id,
            ReviewerName = name,
            ReviewerEmail = user.Email,
            DecidedAt = now,
        });

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone decided (or the change moved on) between our read and our write: xmin changed.
            logger.LogInformation("Decision {Kind} on change {ChangeId} by {User} lost a race.", kind, changeId, user.UserName);
            return DecisionOutcome.Fail("Someone else decided on this change at the same moment. The page now shows the current state.");
        }

        logger.LogInformation("Change {ChangeId} {Kind} by {User}.", changeId, kind, user.UserName);
        return new DecisionOutcome(true, kind == DecisionKind.Approve ? "Approved." : "Rejected.");
    }
}

using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Queue;
using ReviewPortal.Web.Data;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Features.Queue;

/// <summary>The result of a claim or release; <see cref="AssignedToName"/> is who holds the change afterwards.</summary>
public sealed record ClaimOutcome(bool Succeeded, string Message, string? AssignedToName)
{
    public static ClaimOutcome Fail(string message, string? assignedToName = null) => new(false, message, assignedToName);
}

/// <summary>
/// Claims and releases changes for the signed-in reviewer. Roles are read from the database at the moment of the
/// claim; two people claiming at once resolve on the change's <c>xmin</c> (Change.RowVersion): one wins, and the
/// other is told who has it.
/// </summary>
public sealed class ClaimService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ReviewerDirectory directory,
    ChangeAccess access,
    TimeProvider clock,
    ILogger<ClaimService> logger)
{
    public async Task<ClaimOutcome> ClaimAsync(long changeId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var person = await directory.FindAsync(user, cancellationToken);
        if (person is null)
        {
            return ClaimOutcome.Fail("Your account could not be verified. Sign in again.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await MaySeeAsync(changeId, person, cancellationToken) ? await db.Changes.FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken) : null;
        if (change is null)
        {
            return ClaimOutcome.Fail(ChangeAccess.NotFoundMessage);
        }

        if (string.Equals(change.AssignedToId, person.UserId, StringComparison.Ordinal))
        {
            return new ClaimOutcome(true, "You already have this change.", change.AssignedToName);
        }

        var subject = Subject(change);
        var holderMayKeepIt = change.AssignedToId is { } holderId
                              && await directory.FindAsync(holderId, cancellationToken) is { } holder
                              && ReviewerClaims.CanHold(subject, holder).Allowed;
        var check = ReviewerClaims.CanClaim(subject, person, holderMayKeepIt);
        if (!check.Allowed)
        {
            logger.LogInformation("Claim of change {ChangeId} by {User} refused: {Reason}", changeId, person.UserName, check.Reason);
            return ClaimOutcome.Fail(check.Reason!, change.AssignedToName);
        }

        var now = clock.GetUtcNow();
        var previous = change.AssignedToName;
        change.AssignedToId = person.UserId;
        change.AssignedToName = person.Name;
        change.AssignedAt = now;
        change.Events.Add(new ChangeEvent
        {
            At = now,
            Kind = ChangeEventKind.Claimed,
            Detail = previous is null ? $"Claimed by {person.Name}." : $"Claimed by {person.Name} from {previous}, who can no longer review it.",
            RevisionNumber = change.RevisionCount,
        });

        if (!await SaveAsync(db, changeId, cancellationToken))
        {
            var winner = await CurrentAssigneeAsync(changeId, cancellationToken);
            logger.LogInformation("Claim of change {ChangeId} by {User} lost a race to {Winner}.", changeId, person.UserName, winner);
            return ClaimOutcome.Fail(
                winner is null ? "This change moved while you were claiming it. Try again." : $"{winner} claimed this change a moment before you.", winner);
        }

        // Pages learn of it from the save itself (ChangeNotificationInterceptor: assignment columns are Assigned).
        logger.LogInformation("Change {ChangeId} claimed by {User}.", changeId, person.UserName);
        return new ClaimOutcome(true, "You have this change.", person.Name);
    }

    public async Task<ClaimOutcome> ReleaseAsync(long changeId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var person = await directory.FindAsync(user, cancellationToken);
        if (person is null)
        {
            return ClaimOutcome.Fail("Your account could not be verified. Sign in again.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var change = await MaySeeAsync(changeId, person, cancellationToken) ? await db.Changes.FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken) : null;
        if (change is null)
        {
            return ClaimOutcome.Fail(ChangeAccess.NotFoundMessage);
        }

        var check = ReviewerClaims.CanRelease(Subject(change), person);
        if (!check.Allowed)
        {
            return ClaimOutcome.Fail(check.Reason!, change.AssignedToName);
        }

        var now = clock.GetUtcNow();
        change.AssignedToId = null;
        change.AssignedToName = null;
        change.AssignedAt = null;
        change.Events.Add(new ChangeEvent { At = now, Kind = ChangeEventKind.Released, Detail = $"Released by {person.Name}.", RevisionNumber = change.RevisionCount });
        if (!await SaveAsync(db, changeId, cancellationToken))
        {
            var holder = await CurrentAssigneeAsync(changeId, cancellationToken);
            return ClaimOutcome.Fail("This change moved while you were releasing it. The page now shows who has it.", holder);
        }

        logger.LogInformation("Change {ChangeId} released by {User}.", changeId, person.UserName);
        return new ClaimOutcome(true, "Released: the change is back in the queue.", null);
    }

    /// <summary>
    /// A change that does not exist and one <paramref name="person"/> may not see get the one not-found answer (and a
    /// hidden one is logged, as <see cref="ChangeAccess"/> logs every such attempt): a claim tells nobody which ids are hidden.
    /// </summary>
    private async Task<bool> MaySeeAsync(long changeId, Reviewer person, CancellationToken cancellationToken) =>
        await access.CheckAsync(ChangeViewer.ForPerson(person), changeId, cancellationToken) == ChangeAccessResult.Allowed;

    internal static ClaimSubject Subject(Change change) =>
        new(change.Tier, change.State, change.Author, change.Prompter, change.AssignedToId, change.AssignedToName);

    private async Task<bool> SaveAsync(PortalDbContext db, long changeId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone claimed, released, decided or re-scored it between our read and our write: xmin moved on.
            logger.LogDebug("Change {ChangeId} changed under an assignment write.", changeId);
            return false;
        }
    }

    private async Task<string?> CurrentAssigneeAsync(long changeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Changes.AsNoTracking().Where(c => c.Id == changeId).Select(c => c.AssignedToName).FirstOrDefaultAsync(cancellationToken);
    }
}

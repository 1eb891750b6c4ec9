using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;

namespace ReviewPortal.Web.Features.Shared;

/// <summary>What a caller wants to do with a change: see it, or make a decision of one kind on it.</summary>
public sealed class ChangeOperation : IAuthorizationRequirement
{
    private ChangeOperation(DecisionKind? decision) => Decision = decision;

    public static ChangeOperation View { get; } = new(null);

    /// <summary>The decision asked about; null for <see cref="View"/>.</summary>
    public DecisionKind? Decision { get; }

    public static ChangeOperation Decide(DecisionKind kind) => new(kind);
}

/// <summary>
/// A change as authorization judges it: its id and, for a decision, the policy's view of it and the commit the
/// decision is made on. <paramref name="Comment"/> is set when the reviewer confirmed the decision (the moment it is
/// recorded: the full check, comment included); without it the question is whether the buttons may be offered.
/// </summary>
public sealed record ChangeResource(long ChangeId, ReviewSubject? Subject = null, DecisionTarget? Target = null, DecisionComment? Comment = null);

/// <summary>The comment a confirmed decision carries (none for most approvals).</summary>
public sealed record DecisionComment(string? Text);

/// <summary>
/// The one answer to "may see / may decide on this change", for pages, endpoints and the decision service alike: the
/// caller is the person the database knows now (<see cref="CurrentReviewer"/>) or the API client a key authenticated;
/// seeing is the visibility rule (<see cref="ChangeAccess"/>); deciding is seeing plus the tier policy
/// (<see cref="ReviewPolicy.MayDecide"/>, or <see cref="ReviewPolicy.Check"/> once confirmed), whose reason is the failure's message.
/// </summary>
public sealed class ChangeAuthorizationHandler(CurrentReviewer current, ChangeAccess access, IOptionsMonitor<ReviewPolicyOptions> policy)
    : AuthorizationHandler<ChangeOperation, ChangeResource>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ChangeOperation requirement, ChangeResource resource)
    {
        var viewer = await current.ViewerAsync(context.User);
        var seen = viewer is null
            ? await access.RefuseUnknownAsync(context.User.Identity?.Name ?? "anonymous", resource.ChangeId)
            : await access.CheckAsync(viewer, resource.ChangeId);
        if (seen != ChangeAccessResult.Allowed)
        {
            context.Fail(new AuthorizationFailureReason(this, ChangeAccess.NotFoundMessage));
            return;
        }

        if (requirement.Decision is not { } kind)
        {
            context.Succeed(requirement);
            return;
        }

        if (viewer!.Person is not { } person || resource.Subject is not { } subject)
        {
            context.Fail(new AuthorizationFailureReason(this, "Only a signed-in reviewer can decide on a change."));
            return;
        }

        var target = resource.Target ?? subject.Head;
        var check = resource.Comment is { } comment
            ? ReviewPolicy.Check(policy.CurrentValue, subject, person, kind, target, comment.Text)
            : ReviewPolicy.MayDecide(policy.CurrentValue, subject, person, kind, target);
        if (check.Allowed)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, check.Reason!));
        }
    }
}

public static class ChangeAuthorizationExtensions
{
    /// <summary>Whether <paramref name="user"/> may see change <paramref name="changeId"/>.</summary>
    public static async Task<ChangeAccessResult> CheckChangeAsync(this IAuthorizationService authorization, System.Security.Claims.ClaimsPrincipal user, long changeId)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var result = await authorization.AuthorizeAsync(user, new ChangeResource(changeId), ChangeOperation.View);
        return result.Succeeded ? ChangeAccessResult.Allowed : ChangeAccessResult.NotFound;
    }

    /// <summary>Why authorization refused, as the handler worded it.</summary>
    public static string? Reason(this AuthorizationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Succeeded ? null : result.Failure?.FailureReasons.Select(r => r.Message).FirstOrDefault() ?? ChangeAccess.NotFoundMessage;
    }
}

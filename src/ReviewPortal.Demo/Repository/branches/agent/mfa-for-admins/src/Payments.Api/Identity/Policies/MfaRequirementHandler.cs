using Microsoft.AspNetCore.Authorization;

namespace Identity.Policies;

public sealed class MfaRequirement : IAuthorizationRequirement;

public sealed class MfaRequirementHandler : AuthorizationHandler<MfaRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MfaRequirement requirement)
    {
        var amr = context.User.FindAll("amr").Select(c => c.Value);
        if (context.User.IsInRole("admin") && amr.Contains("mfa"))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
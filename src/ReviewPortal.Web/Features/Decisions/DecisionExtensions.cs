using Microsoft.Extensions.Options;
using ReviewPortal.Domain.Policy;

namespace ReviewPortal.Web.Features.Decisions;

public static class DecisionExtensions
{
    /// <summary>The tier policy (configuration section <c>Review:Policy</c>), decisions, and tier-1 automatic approval.</summary>
    public static IServiceCollection AddPortalDecisions(this IServiceCollection services)
    {
        services.AddOptions<ReviewPolicyOptions>()
            .BindConfiguration(ReviewPolicyOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReviewPolicyOptions>, ReviewPolicyOptionsValidator>();
        services.AddSingleton<DecisionService>();
        services.AddSingleton<AutomaticApprover>();
        // Always hosted: Review:Policy:AutomaticApproval:Enabled is read on every sweep, so it can be switched at run time.
        services.AddHostedService(sp => sp.GetRequiredService<AutomaticApprover>());
        return services;
    }

    private sealed class ReviewPolicyOptionsValidator : IValidateOptions<ReviewPolicyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReviewPolicyOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

using System.Diagnostics.CodeAnalysis;

namespace ReviewPortal.Domain.Risk;

/// <summary>Either a valid rule set or the list of everything wrong with the text it was read from.</summary>
public sealed class RuleSetParseResult
{
    private RuleSetParseResult(RiskRuleSet? ruleSet, IReadOnlyList<RuleSetError> errors)
    {
        RuleSet = ruleSet;
        Errors = errors;
    }

    public RiskRuleSet? RuleSet { get; }

    public IReadOnlyList<RuleSetError> Errors { get; }

    [MemberNotNullWhen(true, nameof(RuleSet))]
    public bool IsValid => RuleSet is not null;

    public static RuleSetParseResult Success(RiskRuleSet ruleSet) => new(ruleSet ?? throw new ArgumentNullException(nameof(ruleSet)), []);

    public static RuleSetParseResult Failure(IReadOnlyList<RuleSetError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A failed parse needs at least one error.", nameof(errors));
        }

        return new(null, errors);
    }
}

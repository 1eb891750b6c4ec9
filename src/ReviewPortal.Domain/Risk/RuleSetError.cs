namespace ReviewPortal.Domain.Risk;

/// <summary>One problem with a rule set, phrased for the admin who has to fix it, with the rule and line when known.</summary>
public sealed record RuleSetError(string Message, string? RuleId = null, int? Line = null)
{
    public override string ToString()
    {
        var where = (Line, RuleId) switch
        {
            (not null, not null) => $"line {Line}, rule '{RuleId}': ",
            (not null, null) => $"line {Line}: ",
            (null, not null) => $"rule '{RuleId}': ",
            _ => string.Empty,
        };
        return where + Message;
    }
}

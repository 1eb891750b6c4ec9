namespace ReviewPortal.Domain.ApiClients;

/// <summary>
/// What an API client's key may do. Each endpoint that takes a key names the one scope it needs; a key holds any
/// combination. The values are stored, so an existing value never changes meaning.
/// </summary>
[Flags]
public enum ApiScope
{
    None = 0,
    SubmitChanges = 1,
    AttachProvenance = 2,
    ReadChanges = 4,
    TriggerPolls = 8,
    Administer = 16,
}

public static class ApiScopes
{
    /// <summary>Every scope a key can hold, in the order pages and problems list them.</summary>
    public static IReadOnlyList<ApiScope> Each { get; } =
        [ApiScope.SubmitChanges, ApiScope.AttachProvenance, ApiScope.ReadChanges, ApiScope.TriggerPolls, ApiScope.Administer];

    /// <summary>What an agent or CI pipeline needs: submit, attach provenance, read. The bootstrap key's default.</summary>
    public const ApiScope AgentDefault = ApiScope.SubmitChanges | ApiScope.AttachProvenance | ApiScope.ReadChanges;

    public const ApiScope All = ApiScope.SubmitChanges | ApiScope.AttachProvenance | ApiScope.ReadChanges | ApiScope.TriggerPolls | ApiScope.Administer;

    /// <summary>Whether <paramref name="held"/> includes every flag of <paramref name="needed"/> (None is never held: an endpoint must name a scope).</summary>
    public static bool Allows(this ApiScope held, ApiScope needed) => needed != ApiScope.None && (held & needed) == needed;

    /// <summary>The scopes of <paramref name="scopes"/> one by one.</summary>
    public static IReadOnlyList<ApiScope> Split(this ApiScope scopes) => Each.Where(s => (scopes & s) == s).ToList();

    /// <summary>
    /// The scopes named by <paramref name="names"/> (each one scope's name, any case; numbers are refused), or null
    /// with the names that are not scopes in <paramref name="unknown"/>.
    /// </summary>
    public static ApiScope? Parse(IEnumerable<string?> names, out IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(names);
        var scopes = ApiScope.None;
        var refused = new List<string>();
        foreach (var name in names)
        {
            var match = Each.FirstOrDefault(s => string.Equals(s.ToString(), name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match == ApiScope.None)
            {
                refused.Add(name ?? "null");
            }

            scopes |= match;
        }

        unknown = refused;
        return refused.Count == 0 ? scopes : null;
    }

    /// <summary>A person's words for a scope, as the admin pages show it.</summary>
    public static string Describe(this ApiScope scope) => scope switch
    {
        ApiScope.SubmitChanges => "Submit changes",
        ApiScope.AttachProvenance => "Attach provenance",
        ApiScope.ReadChanges => "Read changes",
        ApiScope.TriggerPolls => "Trigger polls",
        ApiScope.Administer => "Administer",
        _ => string.Join(", ", DescribeEach(scope)),
    };

    private static IEnumerable<string> DescribeEach(ApiScope scope) => scope.Split().Select(s => s.Describe()).DefaultIfEmpty("none");
}

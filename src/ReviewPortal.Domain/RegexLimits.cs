namespace ReviewPortal.Domain;

/// <summary>
/// The match timeout of every regular expression that reads submitted text (diffs, prompts, descriptions, rules).
/// It guards against pathological input, not against a busy machine: .NET measures it in wall-clock time, so a
/// shorter limit (100 ms was tried) fired on ordinary lines while the CPU was contended and failed ingestion.
/// </summary>
internal static class RegexLimits
{
    public const int TimeoutMilliseconds = 2000;

    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(TimeoutMilliseconds);
}

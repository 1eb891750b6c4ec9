using System.Text.RegularExpressions;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.AgentHabits;

/// <summary>
/// Finds credentials in the lines a change adds: known token formats first, then high-entropy string literals.
/// Removed lines are not scanned: taking a secret out is the fix, not the habit. Findings never carry the
/// secret itself, only its first four characters (<see cref="Mask"/>), since evidence is shown and stored.
/// </summary>
public static partial class SecretScanner
{
    /// <summary>Quoted tokens shorter than this are too short to judge by entropy (and rarely credentials).</summary>
    public const int MinimumEntropyTokenLength = 20;

    /// <summary>Bits per character above which a mixed-case base64-ish literal counts as a secret.</summary>
    public const double Base64EntropyThreshold = 4.0;

    /// <summary>Bits per character above which a hex literal counts as a secret (hex tops out at 4.0).</summary>
    public const double HexEntropyThreshold = 3.0;

    private const int VisiblePrefixLength = 4;

    private static readonly (string Label, Regex Pattern)[] KnownFormats =
    [
        ("AWS access key id", AwsAccessKeyRegex()),
        ("GitHub token", GitHubTokenRegex()),
        ("GitHub fine-grained token", GitHubPatRegex()),
        ("GitLab token", GitLabTokenRegex()),
        ("Slack token", SlackTokenRegex()),
        ("Stripe live key", StripeKeyRegex()),
        ("JSON web token", JwtRegex()),
    ];

    public static IEnumerable<AgentFinding> Scan(IReadOnlyList<FileLineChanges> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            // Lock files are full of integrity hashes: high entropy by design and public.
            var checkEntropy = !DependencyChangeDetector.IsLockFile(file.Path);
            foreach (var line in file.Added)
            {
                foreach (var (label, token) in SecretsIn(line.Text, checkEntropy))
                {
                    var detail = token is null ? label : $"{label} {Mask(token)}";
                    yield return new AgentFinding(AgentFindingKind.Secret, file.Path, line.Number, detail);
                }
            }
        }
    }

    /// <summary>The first four characters and an ellipsis: enough to find the token, never enough to use it.</summary>
    public static string Mask(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length <= VisiblePrefixLength ? new string('*', secret.Length) : secret[..VisiblePrefixLength] + "...";
    }

    /// <summary>The text with every secret that <see cref="Scan"/> would report replaced by its mask.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (_, token) in SecretsIn(text, checkEntropy: true))
        {
            if (token is not null)
            {
                text = text.Replace(token, Mask(token), StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Shannon entropy in bits per character over the characters' frequencies in the text.</summary>
    public static double ShannonEntropy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return 0;
        }

        return text.GroupBy(c => c)
            .Select(g => (double)g.Count() / text.Length)
            .Sum(p => -p * Math.Log2(p));
    }

    /// <summary>
    /// Whether a quoted token looks like a generated secret. Hex needs a digit and a letter; base64-ish needs
    /// a digit and both cases, which keeps identifiers, paths and words out at the cost of missing the rare
    /// random token without them. GUIDs (8-4-4-4-12) and subresource-integrity hashes (<c>sha384-...</c>) are
    /// identifiers and public digests, not credentials, so they are skipped; a GUID used as an API key is missed.
    /// </summary>
    public static bool IsHighEntropySecret(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length < MinimumEntropyTokenLength || GuidRegex().IsMatch(token) || IntegrityHashRegex().IsMatch(token))
        {
            return false;
        }

        if (HexRegex().IsMatch(token))
        {
            return token.Any(char.IsAsciiDigit) && token.Any(char.IsAsciiLetter) && ShannonEntropy(token) > HexEntropyThreshold;
        }

        return Base64Regex().IsMatch(token)
               && token.Any(char.IsAsciiDigit) && token.Any(char.IsAsciiLetterUpper) && token.Any(char.IsAsciiLetterLower)
               && ShannonEntropy(token) > Base64EntropyThreshold;
    }

    /// <summary>Each secret in a line with the token to mask; a private key header names no token (it is not the key).</summary>
    private static IEnumerable<(string Label, string? Token)> SecretsIn(string line, bool checkEntropy)
    {
        if (PrivateKeyRegex().Match(line) is { Success: true } header)
        {
            yield return ($"private key block ({header.Groups["type"].Value.Trim()} PRIVATE KEY)", null);
        }

        var reported = new List<string>();
        foreach (var (label, pattern) in KnownFormats)
        {
            foreach (Match match in pattern.Matches(line))
            {
                reported.Add(match.Value);
                yield return (label, match.Value);
            }
        }

        if (!checkEntropy)
        {
            yield break;
        }

        foreach (Match literal in QuotedTokenRegex().Matches(line))
        {
            var token = literal.Groups["token"].Value;
            if (!reported.Exists(r => r.Contains(token, StringComparison.Ordinal) || token.Contains(r, StringComparison.Ordinal)) && IsHighEntropySecret(token))
            {
                yield return ("high-entropy string", token);
            }
        }
    }

    [GeneratedRegex(@"\b(AKIA|ASIA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex AwsAccessKeyRegex();

    [GeneratedRegex(@"\bgh[pousr]_[A-Za-z0-9]{36}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex GitHubTokenRegex();

    [GeneratedRegex(@"\bgithub_pat_[A-Za-z0-9_]{22,255}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex GitHubPatRegex();

    [GeneratedRegex(@"\bglpat-[A-Za-z0-9_-]{20,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex GitLabTokenRegex();

    [GeneratedRegex(@"\bxox[baprs]-[A-Za-z0-9-]{10,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex SlackTokenRegex();

    [GeneratedRegex(@"\b[rs]k_live_[A-Za-z0-9]{16,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex StripeKeyRegex();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex JwtRegex();

    [GeneratedRegex(@"-----BEGIN (?<type>[A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex PrivateKeyRegex();

    /// <summary>The inside of a string literal with no whitespace (prose has spaces, so it never qualifies).</summary>
    [GeneratedRegex(@"(?<q>[""'`])(?<token>[^""'`\s]{20,})\k<q>", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex QuotedTokenRegex();

    [GeneratedRegex(@"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex GuidRegex();

    [GeneratedRegex(@"^sha(256|384|512)-[A-Za-z0-9+/]+=*$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex IntegrityHashRegex();

    [GeneratedRegex(@"^[0-9a-fA-F]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex HexRegex();

    [GeneratedRegex(@"^[A-Za-z0-9+/=_-]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex Base64Regex();
}

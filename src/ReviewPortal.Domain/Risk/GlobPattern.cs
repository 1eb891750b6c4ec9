using System.Text;
using System.Text.RegularExpressions;

namespace ReviewPortal.Domain.Risk;

/// <summary>
/// A path glob as used in the risk rules: <c>**</c> spans folders, <c>*</c> and <c>?</c> stay inside one
/// path segment. Matching ignores case, since a rule meant for <c>auth/</c> must not miss <c>Auth/</c>.
/// A leading <c>**/</c> also matches at the root (<c>**/auth/**</c> matches <c>auth/x.cs</c>).
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    public GlobPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        _regex = new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexLimits.Timeout);
    }

    public string Pattern { get; }

    public bool IsMatch(string path) => _regex.IsMatch(Normalize(path));

    public override string ToString() => Pattern;

    /// <summary>
    /// Why a pattern would not do what its author expects, or null when it is fine. The matcher itself accepts
    /// any text, so this catches what it would silently get wrong: <c>**</c> glued to a name, character classes,
    /// braces and negation (not supported, so <c>*.{cs,ts}</c> would match nothing), and <c>..</c> segments.
    /// </summary>
    public static string? FindProblem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "a path pattern must not be empty";
        }

        if (pattern.Trim().Length != pattern.Length || pattern.Any(char.IsControl))
        {
            return $"path pattern '{pattern}' has surrounding spaces or control characters";
        }

        if (pattern.Contains("***", StringComparison.Ordinal))
        {
            return $"path pattern '{pattern}' has '***'; use '**' for any number of folders";
        }

        if (pattern.IndexOfAny(['[', ']', '{', '}']) >= 0 || pattern.StartsWith('!'))
        {
            return $"path pattern '{pattern}' uses character classes, braces or negation, which are not supported; list each pattern separately";
        }

        var segments = Normalize(pattern).Split('/');
        if (segments.Any(s => s.Contains("**", StringComparison.Ordinal) && s != "**"))
        {
            return $"path pattern '{pattern}' has '**' inside a name; '**' must be a whole folder ('**/x' or 'x/**')";
        }

        return segments.Any(s => s is "." or "..") ? $"path pattern '{pattern}' has a '.' or '..' folder; patterns are relative to the repository root" : null;
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');

    private static string ToRegex(string pattern)
    {
        var text = Normalize(pattern);
        var regex = new StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var followedBySlash = i + 2 < text.Length && text[i + 2] == '/';
                // "**/" matches zero or more whole folders; a trailing "**" matches anything.
                regex.Append(followedBySlash ? "(?:.*/)?" : ".*");
                i += followedBySlash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.Append('$').ToString();
    }
}

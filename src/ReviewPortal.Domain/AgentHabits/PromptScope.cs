using System.Text.RegularExpressions;
using ReviewPortal.Domain.Diff;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.AgentHabits;

/// <summary>
/// The paths a prompt names, read from its words: a word with a <c>/</c> (a path or a folder such as
/// <c>src/Auth/</c>), or a file name with a known source extension. URLs and a few product names that look like
/// file names (<c>Node.js</c>) are not paths. A changed file is in scope when a named path is a prefix of it, or
/// names its file or one of its folders; a named path with <c>*</c> is matched as a glob.
/// </summary>
public sealed partial class PromptScope
{
    private static readonly HashSet<string> KnownExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "cs", "csproj", "fs", "fsproj", "vb", "razor", "cshtml", "sln", "slnx", "props", "targets", "ts", "tsx", "js", "jsx", "mjs",
        "cjs", "vue", "svelte", "py", "go", "rs", "java", "kt", "kts", "scala", "rb", "php", "swift", "m", "c", "h", "cpp", "hpp",
        "cc", "sql", "json", "yaml", "yml", "toml", "xml", "ini", "cfg", "config", "md", "txt", "html", "htm", "css", "scss",
        "less", "sh", "ps1", "bat", "gradle", "proto", "graphql", "tf", "lock", "env", "editorconfig", "dockerfile",
    };

    /// <summary>Names that end like file names but are products people mention in prompts.</summary>
    private static readonly HashSet<string> ProductNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "node.js", "vue.js", "next.js", "nuxt.js", "react.js", "express.js", "three.js", "d3.js", "chart.js", "nest.js", "deno.js",
    };

    /// <summary>Words with a slash that are prose, not paths.</summary>
    private static readonly HashSet<string> ProseWithSlashes = new(StringComparer.OrdinalIgnoreCase)
    {
        "and/or", "either/or", "n/a", "w/o", "w/", "i/o", "client/server", "read/write", "input/output", "yes/no", "on/off", "true/false",
    };

    private readonly IReadOnlyList<string> _paths;

    private PromptScope(IReadOnlyList<string> paths) => _paths = paths;

    /// <summary>The paths the prompt names, normalized (forward slashes, no leading <c>./</c> or <c>/</c>), in order of mention.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Whether the prompt names any path; without one there is no scope to leave.</summary>
    public bool NamesPaths => _paths.Count > 0;

    public static PromptScope Parse(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return new PromptScope([]);
        }

        var paths = new List<string>();
        foreach (Match word in WordRegex().Matches(prompt))
        {
            // Strip the quoting and punctuation around a word, but keep '*' (globs) and a trailing '/' (folders).
            var token = word.Value.Trim('`', '"', '\'', '(', ')', '[', ']', '<', '>', '{', '}', ',', ';', ':', '!', '?')
                .TrimEnd('.')
                .Replace('\\', '/');
            while (token.StartsWith("./", StringComparison.Ordinal))
            {
                token = token[2..];
            }

            token = token.TrimStart('/');
            if (IsPath(token) && !paths.Contains(token, StringComparer.OrdinalIgnoreCase))
            {
                paths.Add(token);
            }
        }

        return new PromptScope(paths);
    }

    /// <summary>
    /// Changed files that none of the named paths covers. When the prompt names no path, nothing is out of
    /// scope: a prompt such as "fix the flaky login" gives no scope to compare with, and guessing one would
    /// only produce noise.
    /// </summary>
    public IEnumerable<AgentFinding> FindOutOfScope(IReadOnlyList<FileLineChanges> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!NamesPaths)
        {
            return [];
        }

        return files
            .Where(f => !Covers(f.Path))
            .Select(f => new AgentFinding(AgentFindingKind.OutOfScope, f.Path, null, "not among the paths the prompt names: " + string.Join(", ", _paths.Take(5))));
    }

    public bool Covers(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Replace('\\', '/').TrimStart('/');
        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return _paths.Any(named => Covers(named, normalized, segments));
    }

    private static bool Covers(string named, string path, string[] segments)
    {
        if (named.Contains('*', StringComparison.Ordinal))
        {
            try
            {
                return new GlobPattern(named.Contains('/', StringComparison.Ordinal) ? named : "**/" + named).IsMatch(path);
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological glob in a prompt covers nothing rather than failing the whole evaluation.
                return false;
            }
        }

        var folder = named.TrimEnd('/');
        if (folder.Length == 0)
        {
            return false;
        }

        // A prefix of the path ("src/Auth" covers "src/Auth/Login.cs"), or a path that ends or contains it
        // at segment boundaries ("Auth/Login.cs", "Auth/" anywhere), or simply the file's name.
        var withSlashes = "/" + path + "/";
        return path.Equals(folder, StringComparison.OrdinalIgnoreCase)
               || withSlashes.Contains("/" + folder + "/", StringComparison.OrdinalIgnoreCase)
               || (!folder.Contains('/', StringComparison.Ordinal) && segments.Contains(folder, StringComparer.OrdinalIgnoreCase));
    }

    private static bool IsPath(string token)
    {
        if (token.Length == 0 || token.Contains("://", StringComparison.Ordinal) || ProductNames.Contains(token))
        {
            return false;
        }

        if (token.Contains('/', StringComparison.Ordinal))
        {
            return !ProseWithSlashes.Contains(token);
        }

        var dot = token.LastIndexOf('.');
        return dot >= 0 && dot < token.Length - 1 && KnownExtensions.Contains(token[(dot + 1)..]) && FileNameRegex().IsMatch(token);
    }

    [GeneratedRegex(@"\S+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"^[\w.-]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex FileNameRegex();
}

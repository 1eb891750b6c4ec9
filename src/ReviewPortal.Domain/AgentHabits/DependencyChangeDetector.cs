using System.Text.RegularExpressions;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.AgentHabits;

/// <summary>
/// Finds dependencies a change brings in: packages named on added manifest lines, and changed lock files.
/// It sees only the changed lines, not the whole manifest, so section membership is inferred from the line's
/// shape (a package.json key whose value looks like a version range, a TOML key whose value is a version or
/// an inline table). A package whose name also appears on a removed line of the same manifest is a version
/// change of an existing dependency, not a new one, and is not reported here (its lock file change still is).
/// </summary>
public static partial class DependencyChangeDetector
{
    private static readonly HashSet<string> LockFileNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "packages.lock.json",
        "poetry.lock", "Pipfile.lock", "Cargo.lock", "go.sum", "Gemfile.lock", "composer.lock",
    };

    /// <summary>package.json keys that hold versions but are not dependencies.</summary>
    private static readonly HashSet<string> PackageJsonNonDependencyKeys = new(StringComparer.Ordinal)
    {
        "version", "node", "npm", "yarn", "pnpm", "packageManager", "description", "main", "module", "types", "license", "homepage",
    };

    /// <summary>TOML keys (Cargo.toml, pyproject.toml) whose values look like versions but are not dependencies.</summary>
    private static readonly HashSet<string> TomlNonDependencyKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "version", "edition", "rust-version", "python", "requires-python", "name", "resolver", "license",
    };

    public static bool IsLockFile(string path) => LockFileNames.Contains(AgentHabitChecks.FileName(path));

    public static IEnumerable<AgentFinding> Detect(IReadOnlyList<FileLineChanges> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            if (IsLockFile(file.Path))
            {
                if (file.Kind != FileChangeKind.Deleted && file.ChangedLineCount > 0)
                {
                    var firstLine = file.Added.Count > 0 ? file.Added[0].Number : (int?)null;
                    yield return new AgentFinding(AgentFindingKind.NewDependency, file.Path, firstLine,
                        $"lock file changed (+{file.Additions} -{file.Deletions} lines)");
                }

                continue;
            }

            if (ManifestParser(file.Path) is not { } packagesOn)
            {
                continue;
            }

            var existing = file.Removed.SelectMany(l => packagesOn(l, file.Removed)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in file.Added)
            {
                foreach (var package in packagesOn(line, file.Added))
                {
                    if (!existing.Contains(package) && seen.Add(package))
                    {
                        yield return new AgentFinding(AgentFindingKind.NewDependency, file.Path, line.Number, $"new dependency {package}");
                    }
                }
            }
        }
    }

    /// <summary>How to read package names from one changed line of a manifest (with the other lines of its side), or null when the file is no manifest.</summary>
    private static Func<ChangedLine, IReadOnlyList<ChangedLine>, IEnumerable<string>>? ManifestParser(string path)
    {
        var name = AgentHabitChecks.FileName(path);
        return name.ToLowerInvariant() switch
        {
            "package.json" => (line, _) => PackageJson(line.Text),
            "pyproject.toml" => (line, _) => PyProject(line.Text),
            "cargo.toml" => (line, _) => TomlDependency(line.Text),
            "go.mod" => (line, _) => Single(GoRequireRegex().Match(line.Text), "module"),
            "gemfile" => (line, _) => Single(GemRegex().Match(line.Text), "name"),
            "pom.xml" => MavenDependency,
            _ when name.EndsWith("proj", StringComparison.OrdinalIgnoreCase)
                   || name.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
                   || name.EndsWith(".targets", StringComparison.OrdinalIgnoreCase) =>
                (line, _) => Single(NuGetRegex().Match(line.Text), "name"),
            _ when name.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) =>
                (line, _) => Single(RequirementRegex().Match(line.Text), "name"),
            _ => null,
        };
    }

    private static IEnumerable<string> PackageJson(string text)
    {
        var match = PackageJsonEntryRegex().Match(text);
        return match.Success && !PackageJsonNonDependencyKeys.Contains(match.Groups["name"].Value) ? [match.Groups["name"].Value] : [];
    }

    private static IEnumerable<string> PyProject(string text)
    {
        var pep508 = Pep508EntryRegex().Match(text);
        return pep508.Success ? [pep508.Groups["name"].Value] : TomlDependency(text);
    }

    private static IEnumerable<string> TomlDependency(string text)
    {
        var match = TomlDependencyRegex().Match(text);
        return match.Success && !TomlNonDependencyKeys.Contains(match.Groups["name"].Value) ? [match.Groups["name"].Value] : [];
    }

    /// <summary>A <c>&lt;dependency&gt;</c> opening line, named from the groupId/artifactId on the next few lines of the same side.</summary>
    private static IEnumerable<string> MavenDependency(ChangedLine line, IReadOnlyList<ChangedLine> side)
    {
        if (!line.Text.Contains("<dependency>", StringComparison.Ordinal))
        {
            return [];
        }

        var block = side.Where(l => l.Number > line.Number && l.Number <= line.Number + 5).Select(l => l.Text).ToList();
        var group = block.Select(t => MavenGroupRegex().Match(t)).FirstOrDefault(m => m.Success)?.Groups["id"].Value;
        var artifact = block.Select(t => MavenArtifactRegex().Match(t)).FirstOrDefault(m => m.Success)?.Groups["id"].Value;
        return [artifact is null ? "(unnamed Maven dependency)" : group is null ? artifact : $"{group}:{artifact}"];
    }

    private static IEnumerable<string> Single(Match match, string group) => match.Success ? [match.Groups[group].Value] : [];

    [GeneratedRegex(@"^\s*""(?<name>(@[\w.-]+/)?[\w.-]+)""\s*:\s*""(?<spec>[\^~<>=*]|\d|latest\b|next\b|workspace:|npm:|file:|link:|git\+|github:|https?://)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex PackageJsonEntryRegex();

    [GeneratedRegex(@"^\s*""(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([<>=!~;@].*)?""\s*,?\s*$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex Pep508EntryRegex();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*(""[\^~<>=*]?\s*\d|""\*""|\{)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex TomlDependencyRegex();

    [GeneratedRegex(@"^\s*(require\s+)?(?<module>[a-z0-9-]+(\.[a-z0-9-]+)+(/[\w.~-]+)*)\s+v\d", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex GoRequireRegex();

    [GeneratedRegex(@"^\s*gem\s+['""](?<name>[^'""]+)['""]", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex GemRegex();

    [GeneratedRegex(@"<Package(Reference|Version)\s+Include\s*=\s*""(?<name>[^""]+)""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex NuGetRegex();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([<>=!~;@#]|$)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex RequirementRegex();

    [GeneratedRegex(@"<groupId>\s*(?<id>[^<\s]+)\s*</groupId>", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex MavenGroupRegex();

    [GeneratedRegex(@"<artifactId>\s*(?<id>[^<\s]+)\s*</artifactId>", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex MavenArtifactRegex();
}

using System.Text.RegularExpressions;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.AgentHabits;

/// <summary>
/// Finds tests an agent made weaker to get a change through: deleted test files, skip markers added to test
/// files, and assertions removed from test files (only when the file loses assertions overall, so that
/// rewriting an assertion is not reported).
/// </summary>
public static partial class WeakenedTestDetector
{
    /// <summary>
    /// Whether a path is a test file by the common conventions of .NET, JS/TS, Python, Go, Java and Ruby:
    /// a folder named test/tests/__tests__/spec or ending in Tests/Test (<c>App.Tests/</c>), or a file name with
    /// <c>Test</c> (capital T, so <c>Latest.cs</c> and <c>contest.py</c> are not tests), <c>.spec.</c>/<c>.test.</c>,
    /// <c>_test.go</c>/<c>_test.py</c>/<c>_spec.rb</c> or <c>test_*.py</c>.
    /// </summary>
    public static bool IsTestFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return false;
        }

        var folders = segments[..^1];
        return folders.Any(f => TestFolderRegex().IsMatch(f)) || TestFileNameRegex().IsMatch(segments[^1]);
    }

    public static IEnumerable<AgentFinding> Detect(IReadOnlyList<FileLineChanges> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files.Where(f => IsTestFile(f.Path)))
        {
            if (file.Kind == FileChangeKind.Deleted)
            {
                // The whole file is the finding; listing each of its assertions again would only bury it.
                yield return new AgentFinding(AgentFindingKind.WeakenedTest, file.Path, null, $"test file deleted ({file.Deletions} lines)");
                continue;
            }

            foreach (var line in file.Added.Where(l => SkipMarkerRegex().IsMatch(l.Text)))
            {
                yield return new AgentFinding(AgentFindingKind.WeakenedTest, file.Path, line.Number, "skip marker added: " + AgentHabitChecks.Shorten(line.Text));
            }

            foreach (var finding in RemovedAssertions(file))
            {
                yield return finding;
            }
        }
    }

    public static bool IsAssertion(string line) => AssertionRegex().IsMatch(line);

    private static IEnumerable<AgentFinding> RemovedAssertions(FileLineChanges file)
    {
        var removed = file.Removed.Where(l => IsAssertion(l.Text)).ToList();
        var added = file.Added.Where(l => IsAssertion(l.Text)).Select(l => l.Text.Trim()).ToList();
        if (removed.Count <= added.Count)
        {
            return [];
        }

        // An assertion removed here and added unchanged elsewhere in the file was moved, not removed.
        var moved = added.ToList();
        return removed
            .Where(l => !moved.Remove(l.Text.Trim()))
            .Select(l => new AgentFinding(AgentFindingKind.WeakenedTest, file.Path, l.Number, "assertion removed: " + AgentHabitChecks.Shorten(l.Text)));
    }

    /// <summary>Suffixes are case-sensitive (<c>Tests</c>, or <c>-tests</c> after a separator) so that <c>latest/</c> is no test folder.</summary>
    [GeneratedRegex(@"^(?i:tests?|__tests__|specs?)$|.Tests?$|[._-]tests?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex TestFolderRegex();

    [GeneratedRegex(@"Test|\.(spec|test)\.|_(test|spec)\.(go|py|rb)$|^test_.*\.py$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex TestFileNameRegex();

    [GeneratedRegex(@"\[(Fact|Theory)\s*\(\s*Skip\b|\[Ignore\b|\[Skip\b|@Disabled\b|@Ignore\b|@pytest\.mark\.skip|@unittest\.skip|\bpytest\.skip\(|\b(it|test|describe|context)\.skip\s*\(|\bx(it|describe|test)\s*\(|\bt\.Skip(Now|f)?\s*\(", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex SkipMarkerRegex();

    [GeneratedRegex(@"\bAssert\.|\bassert\s|\bassert\(|\bexpect\(|\.Should\(\)|\.should\b", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: RegexLimits.TimeoutMilliseconds)]
    private static partial Regex AssertionRegex();
}

using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.AgentHabits;

/// <summary>Runs every agent-habit check over one revision of a change.</summary>
public static class AgentHabitChecks
{
    public static IReadOnlyList<AgentFinding> Run(IReadOnlyList<FileLineChanges> files, string? prompt)
    {
        ArgumentNullException.ThrowIfNull(files);
        return
        [
            .. SecretScanner.Scan(files),
            .. DependencyChangeDetector.Detect(files),
            .. WeakenedTestDetector.Detect(files),
            .. PromptScope.Parse(prompt).FindOutOfScope(files),
        ];
    }

    internal static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 120 ? trimmed : trimmed[..117] + "...";
    }

    internal static string FileName(string path)
    {
        var normalized = path.Replace('\\', '/');
        return normalized[(normalized.LastIndexOf('/') + 1)..];
    }
}

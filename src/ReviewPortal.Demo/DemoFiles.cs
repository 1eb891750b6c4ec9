using System.Reflection;

namespace ReviewPortal.Demo;

/// <summary>
/// The demo repository's files, embedded from <c>Repository/</c>: <c>main/</c> holds main's files as its history
/// leaves them, <c>branches/&lt;branch&gt;/</c> and <c>follow-ups/&lt;branch&gt;/</c> the files each commit under
/// review writes.
/// </summary>
public static class DemoFiles
{
    private const string Root = "Repository/";
    private static readonly Assembly Assembly = typeof(DemoFiles).Assembly;

    /// <summary>The named files of main, at <paramref name="paths"/>.</summary>
    public static IReadOnlyList<DemoFile> OnMain(params string[] paths) => [.. paths.Select(path => new DemoFile(path, Read($"{Root}main/{path}")))];

    /// <summary>Every file the branch's first commit writes.</summary>
    public static IReadOnlyList<DemoFile> Branch(string branch) => Under($"{Root}branches/{branch}/");

    /// <summary>Every file the branch's follow-up commit writes.</summary>
    public static IReadOnlyList<DemoFile> FollowUp(string branch) => Under($"{Root}follow-ups/{branch}/");

    private static List<DemoFile> Under(string prefix)
    {
        var files = Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => new DemoFile(name[prefix.Length..], Read(name)))
            .ToList();
        return files.Count > 0 ? files : throw new InvalidOperationException($"No demo files under {prefix}.");
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"No demo file {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

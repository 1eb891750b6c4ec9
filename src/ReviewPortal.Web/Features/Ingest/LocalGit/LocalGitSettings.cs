namespace ReviewPortal.Web.Features.Ingest.LocalGit;

/// <summary><c>LocalGit</c>: how often registered local git repositories are read, and how long one git command may run.</summary>
public sealed class LocalGitSettings
{
    public const string Section = "LocalGit";

    public int PollSeconds { get; set; } = 10;

    /// <summary>A git command running longer is stopped and the poll of that repository reported as failed.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    internal bool IsValid() => PollSeconds is >= 1 and <= 86_400 && CommandTimeoutSeconds is >= 1 and <= 3_600;
}

namespace ReviewPortal.Domain.AgentHabits;

/// <summary>The habits of coding agents that the portal looks for (secrets in the diff, new dependencies, weakened tests, files the prompt never named).</summary>
public enum AgentFindingKind
{
    /// <summary>A credential-looking token or high-entropy string literal in an added line.</summary>
    Secret,

    /// <summary>A package added to a manifest, or a changed lock file.</summary>
    NewDependency,

    /// <summary>A deleted test file, an added skip marker, or assertions removed from a test file.</summary>
    WeakenedTest,

    /// <summary>A changed file that none of the paths the prompt names covers.</summary>
    OutOfScope,
}

/// <summary>One thing an agent-habit check saw: where (line when there is one) and a short, secret-free detail.</summary>
public sealed record AgentFinding(AgentFindingKind Kind, string Path, int? Line, string Detail);

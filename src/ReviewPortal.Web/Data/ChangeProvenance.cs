using System.Globalization;
using System.Linq.Expressions;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Policy;
using ReviewPortal.Domain.Provenance;
using ReviewPortal.Domain.Text;
using ReviewPortal.Web.Features.Decisions;

namespace ReviewPortal.Web.Data;

/// <summary>
/// What a provenance update needs besides the facts: the policy to re-evaluate, its time, and who or what sent it
/// (<see cref="Source"/>, as the timeline says it, e.g. "attached by API client ci-main"), and the user names of the
/// change's deciders by account id (<see cref="DeciderUserNames"/>), since decisions keep only their decider's email.
/// <see cref="HeadPaths"/> are the head's paths, which decide the path quorums it needs.
/// </summary>
public sealed record ProvenanceUpdate(ReviewPolicyOptions Policy, DateTimeOffset At, string Source, IReadOnlyDictionary<string, string>? DeciderUserNames = null, IReadOnlyList<string>? HeadPaths = null);

/// <summary>One provenance field that an update changed, as the timeline names it.</summary>
public sealed record ProvenanceFieldChange(string Field, string? Old, string? New)
{
    private const int ShownLength = 80;

    public override string ToString() => $"{Field}: {Shown(Old)} → {Shown(New)}";

    private static string Shown(string? value) =>
        value is null ? "(none)" : value.Length <= ShownLength ? value : StorableText.Truncate(value, ShownLength) + "…";
}

/// <summary>
/// A change's provenance and the people it names. The prompter changes only through the methods here, and each of
/// them takes away the approvals of anyone who is now the change's author or prompter and evaluates the policy
/// again, so no path that rewrites provenance can leave an author's or prompter's approval counting.
/// </summary>
public sealed partial class Change
{
    private string? _prompter;

    /// <summary>Who prompted the agent; changed only by <see cref="ApplySubmittedProvenance"/> and <see cref="FillFromTrailers"/>.</summary>
    public string? Prompter { get => _prompter; init => _prompter = value; }

    /// <summary>
    /// The one rule for "untraced": agent-authored with no agent session id, so it cannot be traced to its run (a
    /// pilot KPI). An expression, so queries filter and project with it in PostgreSQL.
    /// </summary>
    public static Expression<Func<Change, bool>> Untraced { get; } =
        c => c.IsAgentAuthored && (c.AgentSessionId == null || c.AgentSessionId.Trim() == "");

    private static readonly Func<Change, bool> IsUntracedRule = Untraced.Compile();

    public bool IsUntraced => IsUntracedRule(this);

    /// <summary>
    /// A bundle submitted through the API: it wins over trailers and earlier bundles, fields it leaves empty keep
    /// their value, and carrying it makes the change agent-authored. Returns the fields it changed.
    /// </summary>
    public IReadOnlyList<ProvenanceFieldChange> ApplySubmittedProvenance(ProvenanceBundle bundle, ProvenanceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(update);
        var before = ProvenanceFacts();
        var previousPrompter = Prompter;
        var earlier = Provenance ?? new ProvenanceBundle();
        Provenance = new ProvenanceBundle(
            bundle.Prompt ?? earlier.Prompt,
            bundle.Prompter ?? earlier.Prompter,
            bundle.AgentSessionId ?? earlier.AgentSessionId,
            bundle.ModelVersion ?? earlier.ModelVersion,
            bundle.ModelParametersHash ?? earlier.ModelParametersHash,
            bundle.AgentTool ?? earlier.AgentTool,
            bundle.Tests ?? earlier.Tests,
            bundle.CoveragePercent ?? earlier.CoveragePercent,
            bundle.PolicyComplianceScore ?? earlier.PolicyComplianceScore,
            bundle.SecurityFindings ?? earlier.SecurityFindings,
            bundle.Rollback ?? earlier.Rollback);
        Prompt = bundle.Prompt ?? Prompt;
        _prompter = bundle.Prompter ?? Prompter;
        AgentSessionId = bundle.AgentSessionId ?? AgentSessionId;
        ModelVersion = bundle.ModelVersion ?? ModelVersion;
        ModelParametersHash = bundle.ModelParametersHash ?? ModelParametersHash;
        AgentTool = bundle.AgentTool ?? AgentTool;
        IsAgentAuthored = true;
        AuthorshipReason = "provenance submitted through the API";
        ReconsiderApprovals(previousPrompter, update);
        return Changed(before, ProvenanceFacts());
    }

    /// <summary>
    /// Provenance trailers of a description or commit message fill only what is still unknown: an API bundle, and
    /// trailers read earlier, win. Returns the fields it changed.
    /// </summary>
    public IReadOnlyList<ProvenanceFieldChange> FillFromTrailers(ProvenanceTrailers trailers, ProvenanceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        ArgumentNullException.ThrowIfNull(update);
        var before = ProvenanceFacts();
        var previousPrompter = Prompter;
        AgentSessionId ??= trailers.AgentSession;
        ModelVersion ??= trailers.Model;
        _prompter ??= trailers.Prompter;
        AgentTool ??= trailers.AgentTool;
        ModelParametersHash ??= trailers.ModelParamsHash;
        ReconsiderApprovals(previousPrompter, update);
        return Changed(before, ProvenanceFacts());
    }

    /// <summary>The trailer-borne facts the change carries now, from whichever description or commit brought them.</summary>
    public ProvenanceTrailers KnownTrailers => new(AgentSessionId, ModelVersion, Prompter, AgentTool, ModelParametersHash);

    /// <summary>
    /// Separation of duties after the people changed: an approval by someone who is now the author or prompter stops
    /// counting (it stays on record, reset with the reason), and a change approved only through such approvals is
    /// pending again. Needs the decisions loaded.
    /// </summary>
    private void ReconsiderApprovals(string? previousPrompter, ProvenanceUpdate update)
    {
        if (string.Equals(previousPrompter?.Trim(), Prompter?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var voided = new List<Decision>();
        var people = PolicySubjects.From(this, deciderUserNames: update.DeciderUserNames);
        foreach (var approval in Decisions.Where(d => d is { Kind: DecisionKind.Approve, IsAutomatic: false, ResetAt: null }))
        {
            var role = people.RoleOf(PolicySubjects.ToRecorded(approval, update.DeciderUserNames));
            if (role == OwnRole.None)
            {
                continue;
            }

            approval.ResetAt = update.At;
            approval.ResetReason = $"{approval.ReviewerName} is now this change's {role.ToString().ToLowerInvariant()} (provenance {update.Source}): the author's or prompter's own approval does not count.";
            voided.Add(approval);
        }

        if (voided.Count == 0)
        {
            return;
        }

        var wasApproved = State == ChangeState.Approved;
        if (wasApproved && !ReviewPolicy.Evaluate(update.Policy, PolicySubjects.From(this, deciderUserNames: update.DeciderUserNames, headPaths: update.HeadPaths)).IsSatisfied)
        {
            State = ChangeState.Pending;
            DecidedAt = null;
            DecidedBy = null;
        }

        var names = string.Join(", ", voided.Select(d => d.ReviewerName));
        var outcome = wasApproved ? State == ChangeState.Pending ? " The change is pending again." : " The remaining approvals still satisfy the policy." : "";
        Events.Add(new ChangeEvent
        {
            At = update.At,
            Kind = ChangeEventKind.ApprovalsReset,
            Detail = string.Create(CultureInfo.InvariantCulture,
                $"{voided.Count} approval{(voided.Count == 1 ? "" : "s")} no longer count{(voided.Count == 1 ? "s" : "")}: the prompter is now {Prompter ?? "nobody"} (provenance {update.Source}), and {names} may not approve a change they wrote or prompted.{outcome}"),
            RevisionNumber = RevisionCount,
        });
    }

    private List<(string Field, string? Value)> ProvenanceFacts() =>
    [
        ("Prompter", Prompter),
        ("Agent session", AgentSessionId),
        ("Model", ModelVersion),
        ("Parameters hash", ModelParametersHash),
        ("Agent tool", AgentTool),
        ("Prompt", Prompt),
        ("Tests", Provenance?.Tests is { } tests ? Invariant($"{tests.Passed} passed, {tests.Failed} failed, {tests.Skipped} skipped") : null),
        ("Coverage", Provenance?.CoveragePercent is { } coverage ? Invariant($"{coverage:0.#}%") : null),
        ("Policy score", Provenance?.PolicyComplianceScore is { } score ? Invariant($"{score:0.#}") : null),
        ("Security findings", Provenance?.SecurityFindings is { } findings ? string.Join("; ", findings.Select(f => $"{f.Severity.ToString().ToLowerInvariant()}: {f.Title}")) : null),
        ("Rollback plan", Provenance?.Rollback?.Steps),
        ("Blast radius", Provenance?.Rollback?.BlastRadius),
    ];

    private static List<ProvenanceFieldChange> Changed(List<(string Field, string? Value)> before, List<(string Field, string? Value)> after) =>
        before.Zip(after)
            .Where(pair => !string.Equals(pair.First.Value, pair.Second.Value, StringComparison.Ordinal))
            .Select(pair => new ProvenanceFieldChange(pair.First.Field, pair.First.Value, pair.Second.Value))
            .ToList();

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

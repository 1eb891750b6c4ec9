using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Domain.People;

namespace ReviewPortal.Domain.Policy;

/// <summary>
/// The tier policy. It answers two questions: may this person make this decision now (and why
/// not), and where does the change stand (satisfied or not, and what is still needed). Decisions count per head
/// commit: an approval given on an earlier commit is kept on record but no longer counts, and a rejection or a
/// request for changes holds until a new commit is pushed.
/// </summary>
public static class ReviewPolicy
{
    public const int MaxCommentLength = 4000;

    /// <summary>The identifier of the automatic approval rule, at the start of every automatic decision's recorded rule.</summary>
    public const string AutomaticApprovalRule = "automatic-approval";

    /// <summary>
    /// The full check made at the moment of a decision: <see cref="MayDecide"/> on the <paramref name="confirmed"/> head
    /// (refused, naming what arrived, once another commit is the head), then the comment.
    /// </summary>
    public static DecisionCheck Check(ReviewPolicyOptions options, ReviewSubject subject, Reviewer decider, DecisionKind kind, DecisionTarget confirmed, string? comment)
    {
        var may = DecideCheck(options, subject, decider, kind, confirmed, confirming: true);
        if (!may.Allowed)
        {
            return may;
        }

        if (kind != DecisionKind.Approve && string.IsNullOrWhiteSpace(comment))
        {
            return DecisionCheck.Deny(kind == DecisionKind.Reject ? "A rejection needs a reason." : "A request for changes needs a comment saying what to change.");
        }

        return comment is { Length: > MaxCommentLength }
            ? DecisionCheck.Deny($"The comment is longer than {MaxCommentLength} characters.")
            : DecisionCheck.Allow;
    }

    /// <summary>Whether <paramref name="decider"/> may make a <paramref name="kind"/> decision on the head now, looking at <paramref name="seen"/>.</summary>
    public static DecisionCheck MayDecide(ReviewPolicyOptions options, ReviewSubject subject, Reviewer decider, DecisionKind kind, DecisionTarget seen) =>
        DecideCheck(options, subject, decider, kind, seen, confirming: false);

    /// <summary>
    /// <paramref name="confirming"/>: the reviewer pressed the button on <paramref name="seen"/> (the moment of the decision)
    /// rather than is looking at it; the refusal then says what arrived meanwhile.
    /// </summary>
    private static DecisionCheck DecideCheck(ReviewPolicyOptions options, ReviewSubject subject, Reviewer decider, DecisionKind kind, DecisionTarget seen, bool confirming)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentNullException.ThrowIfNull(seen);
        var requirement = options.For(subject.Tier);
        var seats = Seats(options, subject);
        var membership = QuorumGroups.Membership(decider.Groups);
        if (!seats.Any(s => membership.Contains(s.Group)))
        {
            return DecisionCheck.Deny(WhoDecides(options, subject, seats));
        }

        if (!subject.IsOpen)
        {
            return DecisionCheck.Deny($"This change is {subject.ScmState.ToLowerInvariant()} in source control; there is nothing left to decide.");
        }

        if (!subject.IsHead(seen))
        {
            return DecisionCheck.Deny(HeadMoved(subject, seen, confirming));
        }

        var state = CheckState(subject, kind);
        if (!state.Allowed || kind != DecisionKind.Approve)
        {
            return state;
        }

        switch (subject.RoleOf(decider))
        {
            case OwnRole.Author:
                return DecisionCheck.Deny("You are the author of this change, so you cannot approve it.");
            case OwnRole.Prompter:
                return DecisionCheck.Deny("You prompted this change, so you cannot approve it.");
        }

        if (subject.Decisions.Any(d => d is { Kind: DecisionKind.Approve, IsReset: false } && subject.IsOnHead(d) && string.Equals(d.DeciderId, decider.UserId, StringComparison.Ordinal)))
        {
            return DecisionCheck.Deny($"You already approved {subject.HeadLabel}; tier {(int)subject.Tier} needs {SeatsPhrase(seats)} to approve it.");
        }

        // An approval also judges the rollback plan: one given before the plan exists would sign off on something unseen.
        var missing = MissingConditions(requirement, subject.Checks);
        if (missing.Count > 0)
        {
            return DecisionCheck.Deny($"Tier {(int)subject.Tier} needs {string.Join(" and ", missing.Select(m => m.Description))} before it can be approved; ask the author to attach it.");
        }

        var approvers = Approvers(subject);
        var candidate = new QuorumApprover(PersonKey(decider.UserId, decider.Email), membership);
        if (approvers.Any(a => string.Equals(a.Approver.Id, candidate.Id, StringComparison.Ordinal)))
        {
            return DecisionCheck.Deny($"Another account with your email already approved {subject.HeadLabel}; one person's approval counts once.");
        }

        if (!ApprovalQuorum.WouldCount(seats, [.. approvers.Select(a => a.Approver)], candidate))
        {
            var open = ApprovalQuorum.Match(seats, [.. approvers.Select(a => a.Approver)]).Missing;
            return DecisionCheck.Deny(open.Count == 0
                ? $"Your approval would not count: {subject.HeadLabel} already has the approvals tier {(int)subject.Tier} needs."
                : $"Your approval would not count: {subject.HeadLabel} still needs approvals from {JoinAnd(open.Select(g => QuorumGroups.Plural(g.Group)))}, and you are in none of those groups.");
        }

        return DecisionCheck.Allow;
    }

    /// <summary>Why a decision on <paramref name="seen"/> cannot be recorded: another commit is the head, or <paramref name="seen"/> never was one.</summary>
    private static string HeadMoved(ReviewSubject subject, DecisionTarget seen, bool confirming)
    {
        var earlier = seen.Revision >= 1 && seen.Revision < subject.HeadRevision;
        if (!earlier && seen.Revision != subject.HeadRevision)
        {
            return $"Revision {seen.Revision} does not exist; the head is {HeadPhrase(subject)}.";
        }

        if (confirming || !earlier)
        {
            return HeadArrived(subject, seen, confirming: true);
        }

        return $"{Capitalize(HeadPhrase(subject))} is the head now, and you are looking at revision {seen.Revision}. Review the changes since revision {seen.Revision}, then decide.";
    }

    /// <summary>
    /// "Commit 343b7b8 arrived while you were confirming e05b042: review the changes since, then decide." (or "reviewing",
    /// before the reviewer pressed a button): the news that the head moved past what the reviewer is deciding on.
    /// </summary>
    public static string HeadArrived(ReviewSubject subject, DecisionTarget seen, bool confirming)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(seen);
        return $"{Capitalize(subject.HeadNoun)} arrived while you were {(confirming ? "confirming" : "reviewing")} {seen.Label}: review the changes since, then decide.";
    }

    /// <summary>Where the change stands against its tier's policy.</summary>
    public static ApprovalStatus Evaluate(ReviewPolicyOptions options, ReviewSubject subject)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(subject);
        var requirement = options.For(subject.Tier);
        var approvers = Approvers(subject);
        var match = ApprovalQuorum.Match(Seats(options, subject), [.. approvers.Select(a => a.Approver)]);
        var counted = approvers.Where(a => match.Assignment.ContainsKey(a.Approver.Id)).Select(a => a.First).ToList();
        // A past automatic approval keeps counting while its tier allows automatic approval, even if the job is now off.
        var automatic = requirement.AutomaticApproval
            ? LatestOnHead(subject, d => d is { Kind: DecisionKind.Approve, IsAutomatic: true, IsReset: false })
            : null;
        var stale = subject.Decisions.Where(d => d.Kind == DecisionKind.Approve && (d.IsReset || !subject.IsOnHead(d))).ToList();
        var needs = new List<PolicyNeed>();
        if (subject.State is ChangeState.Rejected or ChangeState.ChangesRequested)
        {
            needs.Add(new PolicyNeed(PolicyNeedKind.NewCommit, subject.State == ChangeState.Rejected
                ? $"a new commit: {Who(LatestOnHead(subject, d => d.Kind == DecisionKind.Reject))} rejected {subject.HeadLabel}"
                : $"a new commit: {Who(LatestOnHead(subject, d => d.Kind == DecisionKind.RequestChanges))} requested changes on {subject.HeadLabel}"));
            return new ApprovalStatus(false, requirement, needs, counted, automatic, stale);
        }

        if (automatic is null)
        {
            needs.AddRange(match.Missing.Select(g => new PolicyNeed(PolicyNeedKind.Approvals, ApprovalsNeeded(g, counted.Count > 0, subject.HeadLabel), g.Group, g.Missing)));
        }

        needs.AddRange(MissingConditions(requirement, subject.Checks));
        return new ApprovalStatus(needs.Count == 0, requirement, needs, counted, automatic, stale);
    }

    /// <summary>The change's state once <paramref name="decision"/> (allowed by <see cref="Check"/>) is recorded on its head.</summary>
    public static ChangeState StateAfter(ReviewPolicyOptions options, ReviewSubject subject, RecordedDecision decision)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Kind switch
        {
            DecisionKind.Approve => Evaluate(options, subject with { State = ChangeState.Pending, Decisions = [.. subject.Decisions, decision] }).IsSatisfied
                ? ChangeState.Approved
                : ChangeState.Pending,
            DecisionKind.Reject => ChangeState.Rejected,
            DecisionKind.RequestChanges => ChangeState.ChangesRequested,
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision.Kind, "Unknown decision kind."),
        };
    }

    /// <summary>Whether the portal may approve the change itself at <paramref name="now"/>: all checks pass and the wait period has elapsed.</summary>
    public static AutomaticApprovalVerdict EvaluateAutomaticApproval(ReviewPolicyOptions options, ReviewSubject subject, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(subject);
        var requirement = options.For(subject.Tier);
        var rule = options.AutomaticApproval;
        if (rule is not { Enabled: true } || !requirement.AutomaticApproval)
        {
            return AutomaticApprovalVerdict.NotApplicable;
        }

        var unmet = new List<string>();
        if (subject.State != ChangeState.Pending)
        {
            unmet.Add($"the change is {StateWord(subject.State)}");
        }

        if (!subject.IsOpen)
        {
            unmet.Add($"the change is {subject.ScmState.ToLowerInvariant()} in source control");
        }

        var checks = subject.Checks;
        if (checks.Tests is not { } tests)
        {
            unmet.Add("no test results were reported");
        }
        else if (tests.Failed > 0)
        {
            unmet.Add(Invariant($"{tests.Failed} test{(tests.Failed == 1 ? "" : "s")} failed"));
        }
        else if (!tests.AllPassed)
        {
            unmet.Add("no tests ran");
        }

        var tooSevere = (checks.Findings ?? []).Where(f => f.Severity > rule.HighestAllowedFinding).ToList();
        if (tooSevere.Count > 0)
        {
            unmet.Add($"security findings above {Word(rule.HighestAllowedFinding)}: {SeverityCounts(tooSevere)}");
        }

        if (checks.CoveragePercent is not { } coverage)
        {
            unmet.Add("no coverage was reported");
        }
        else if (coverage < rule.MinimumCoveragePercent)
        {
            unmet.Add(Invariant($"coverage {coverage:0.#}% is below {rule.MinimumCoveragePercent:0.#}%"));
        }

        if (checks.PolicyScore is not { } score)
        {
            unmet.Add("no policy score was reported");
        }
        else if (score < rule.MinimumPolicyScore)
        {
            unmet.Add(Invariant($"policy score {score:0.#} is below {rule.MinimumPolicyScore:0.#}"));
        }

        unmet.AddRange(MissingConditions(requirement, checks).Select(m => $"{m.Description} is missing"));
        // A path rule asks for people's approvals: the portal's own judgement cannot stand in for them.
        unmet.AddRange(options.PathQuorumsFor(subject.Paths).Select(r =>
            Invariant($"changes to {r.Reason} need {r.Count} approval{(r.Count == 1 ? "" : "s")} from {QuorumGroups.Plural(r.Group)}")));
        var waitEndsAt = subject.HeadArrivedAt + rule.WaitPeriod;
        if (now < waitEndsAt)
        {
            unmet.Add($"the wait period runs until {Time(waitEndsAt)} ({Duration(rule.WaitPeriod)} after revision {subject.HeadRevision} arrived)");
        }

        if (unmet.Count > 0)
        {
            return new AutomaticApprovalVerdict(true, false, waitEndsAt, unmet, null);
        }

        var findings = checks.Findings is { Count: > 0 } all ? $"no security finding above {Word(rule.HighestAllowedFinding)} ({SeverityCounts(all)})" : "no security findings";
        var text = Invariant(
            $"{AutomaticApprovalRule} (tier {(int)subject.Tier}): {checks.Tests!.Passed} tests passed, none failed; {findings}; coverage {checks.CoveragePercent:0.#}% (at least {rule.MinimumCoveragePercent:0.#}%); policy score {checks.PolicyScore:0.#} (at least {rule.MinimumPolicyScore:0.#}); {HeadPhrase(subject)} arrived {Time(subject.HeadArrivedAt)}, and the {Duration(rule.WaitPeriod)} wait ended {Time(waitEndsAt)}.");
        return new AutomaticApprovalVerdict(true, true, waitEndsAt, [], text);
    }

    /// <summary>The seats the change needs filled: its tier's, and those of the path rules its head's paths match.</summary>
    public static IReadOnlyList<QuorumSeats> Seats(ReviewPolicyOptions options, ReviewSubject subject)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(subject);
        return options.SeatsFor(subject.Tier, subject.Paths);
    }

    /// <summary>
    /// The people whose approvals are valid: on the head, not reset, neither author nor prompter, each with their first
    /// such approval. One person is one approver, even with two accounts on the same address: their groups are joined.
    /// </summary>
    private static List<(RecordedDecision First, QuorumApprover Approver)> Approvers(ReviewSubject subject) =>
        [.. subject.Decisions
            .Where(d => d is { Kind: DecisionKind.Approve, IsAutomatic: false, IsReset: false }
                        && subject.IsOnHead(d)
                        && subject.RoleOf(d) == OwnRole.None)
            .OrderBy(d => d.DecidedAt)
            .DistinctBy(d => d.DeciderId, StringComparer.Ordinal)
            .GroupBy(d => PersonKey(d.DeciderId, d.DeciderEmail), StringComparer.Ordinal)
            .Select(person => (person.First(), new QuorumApprover(person.Key, person.SelectMany(d => d.Membership).ToHashSet(StringComparer.Ordinal))))];

    private static string PersonKey(string userId, string? email) => email?.Trim().ToUpperInvariant() ?? userId;

    /// <summary>"Only security reviewers decide on tier-4 changes."; a plain tier's is "Only reviewers and security reviewers decide on changes."</summary>
    private static string WhoDecides(ReviewPolicyOptions options, ReviewSubject subject, IReadOnlyList<QuorumSeats> seats)
    {
        var groups = seats.Select(s => s.Group).Distinct(StringComparer.Ordinal).ToList();
        if (groups is [QuorumGroups.AnyReviewer])
        {
            return "Only reviewers and security reviewers decide on changes.";
        }

        var tierOnly = seats.Count == options.For(subject.Tier).Seats().Count;
        return $"Only {JoinAnd(groups.Select(QuorumGroups.Plural))} decide on {(tierOnly ? $"tier-{(int)subject.Tier} changes" : "this change")}.";
    }

    /// <summary>"2 different security reviewers", or "1 security reviewer and 1 member of legal, each a different person".</summary>
    private static string SeatsPhrase(IReadOnlyList<QuorumSeats> seats) =>
        seats is [var only]
            ? Invariant($"{only.Count} different {(only.Count == 1 ? QuorumGroups.Noun(only.Group) : QuorumGroups.Plural(only.Group))}")
            : $"{JoinAnd(seats.Select(s => Invariant($"{s.Count} {(s.Count == 1 ? QuorumGroups.Noun(s.Group) : QuorumGroups.Plural(s.Group))}")))}, each a different person";

    /// <summary>"1 more security reviewer approval on abc1234", "1 approval from legal on abc1234", "... for public API contracts".</summary>
    private static string ApprovalsNeeded(GroupShortfall shortfall, bool someCounted, string head)
    {
        var count = Invariant($"{shortfall.Missing}{(someCounted ? " more" : "")}");
        var plural = shortfall.Missing == 1 ? "" : "s";
        var what = QuorumGroups.IsPortalName(shortfall.Group)
            ? $"{count} {QuorumGroups.Noun(shortfall.Group)} approval{plural}"
            : $"{count} approval{plural} from {shortfall.Group}";
        return $"{what} on {head}{(string.IsNullOrWhiteSpace(shortfall.Reason) ? "" : $" for {shortfall.Reason}")}";
    }

    private static string JoinAnd(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list[..^1])} and {list[^1]}";
    }

    private static DecisionCheck CheckState(ReviewSubject subject, DecisionKind kind)
    {
        switch (subject.State)
        {
            case ChangeState.Pending:
                return DecisionCheck.Allow;
            case ChangeState.Approved:
                if (LatestOnHead(subject, d => d is { Kind: DecisionKind.Approve, IsAutomatic: true, IsReset: false }) is not null)
                {
                    // Any reviewer can veto what the portal approved by itself.
                    return kind == DecisionKind.Approve
                        ? DecisionCheck.Deny($"This change was approved automatically on {subject.HeadLabel}. A reviewer can still veto it: reject it or request changes, with a comment.")
                        : DecisionCheck.Allow;
                }

                var approver = LatestOnHead(subject, d => d is { Kind: DecisionKind.Approve, IsReset: false });
                return DecisionCheck.Deny($"This change is already approved{(approver is null ? "" : $" by {approver.DeciderName}")} on {subject.HeadLabel}; a new commit reopens it.");
            case ChangeState.Rejected:
                return DecisionCheck.Deny($"{Capitalize(Who(LatestOnHead(subject, d => d.Kind == DecisionKind.Reject)))} rejected this change on {subject.HeadLabel}; a new commit reopens it.");
            case ChangeState.ChangesRequested:
                return DecisionCheck.Deny($"{Capitalize(Who(LatestOnHead(subject, d => d.Kind == DecisionKind.RequestChanges)))} requested changes on {subject.HeadLabel}; a new commit reopens it.");
            default:
                return DecisionCheck.Deny($"This change is {StateWord(subject.State)}.");
        }
    }

    private static List<PolicyNeed> MissingConditions(TierRequirement requirement, ChangeChecks checks)
    {
        var plan = checks.Rollback;
        var hasPlan = !string.IsNullOrWhiteSpace(plan?.Steps);
        if ((requirement.RollbackPlanRequired || requirement.BlastRadiusRequired) && !hasPlan)
        {
            return [new PolicyNeed(PolicyNeedKind.RollbackPlan, requirement.BlastRadiusRequired ? "a rollback plan with blast radius" : "a rollback plan")];
        }

        return requirement.BlastRadiusRequired && string.IsNullOrWhiteSpace(plan?.BlastRadius)
            ? [new PolicyNeed(PolicyNeedKind.BlastRadius, "the blast radius of the rollback plan")]
            : [];
    }

    private static RecordedDecision? LatestOnHead(ReviewSubject subject, Func<RecordedDecision, bool> predicate) =>
        subject.Decisions.Where(d => subject.IsOnHead(d) && predicate(d)).MaxBy(d => d.DecidedAt);

    private static string Who(RecordedDecision? decision) => decision?.DeciderName ?? "a reviewer";

    private static string HeadPhrase(ReviewSubject subject) => ReviewSubject.RevisionPhrase(subject.HeadCommit, subject.HeadRevision);

    private static string StateWord(ChangeState state) => state switch
    {
        ChangeState.ChangesRequested => "waiting for the changes its reviewer asked for",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Word(FindingSeverity severity) => severity.ToString().ToLowerInvariant();

    private static string SeverityCounts(IEnumerable<SecurityFinding> findings) =>
        string.Join(", ", findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => Invariant($"{g.Count()} {Word(g.Key)}")));

    private static string Time(DateTimeOffset at) => ReviewSubject.TimeLabel(at);

    private static string Duration(TimeSpan span) =>
        span.TotalMinutes < 1 ? Invariant($"{span.TotalSeconds:0} s")
        : span.Minutes == 0 && span.TotalHours >= 1 ? Invariant($"{span.TotalHours:0} h")
        : span.TotalHours >= 1 ? Invariant($"{Math.Floor(span.TotalHours):0} h {span.Minutes} min")
        : Invariant($"{span.TotalMinutes:0} min");

    private static string Capitalize(string text) => text.Length == 0 ? text : string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Provenance;

namespace ReviewPortal.Demo;

public sealed record DemoDecision(DecisionKind Kind, string ReviewerEmail, string? Reason);

/// <summary>A file as a commit leaves it (its content from <see cref="DemoFiles"/>).</summary>
public sealed record DemoFile(string Path, string Content);

public sealed record DemoAuthor(string Name, string Email);

/// <summary>One commit of the demo repository, <see cref="Age"/> before the repository is created.</summary>
public sealed record DemoCommit(DemoAuthor Author, string Message, TimeSpan Age, IReadOnlyList<DemoFile> Files);

/// <summary>How to undo a demo change, as its agent reports it.</summary>
public sealed record DemoRollback(string Steps, string? BlastRadius);

/// <summary>
/// A branch off main with one commit. What the agent would post to <c>/api/changes/provenance</c> after pushing
/// (the prompt, its test run, its policy score and rollback plan) is kept with it; <see cref="Prompt"/> is null for a
/// person's branch. <see cref="Decisions"/> are given on that first commit; <see cref="FollowUp"/>, when set, is
/// pushed after them as a second revision (so its approvals become stale).
/// </summary>
public sealed record DemoBranch(string Name, DemoCommit Commit, string? Prompt, IReadOnlyList<DemoDecision>? Decisions = null)
{
    public double? PolicyScore { get; init; }

    public DemoRollback? Rollback { get; init; }

    public DemoCommit? FollowUp { get; init; }
}

/// <summary>
/// The demo's payments service as a git history: commits on main by people, then branches by agents (each head commit
/// carrying Agent-Session / Model / Prompter trailers, one without a session) and one by a person, across all four
/// tiers. Their tiers are not set here: the portal ingests the branches through the local git provider and scores them.
/// The files each commit writes are real files under <c>Repository/</c> (<see cref="DemoFiles"/>).
/// </summary>
public static class DemoChanges
{
    public const string RepositoryName = "acme/payments-service";
    public const string DefaultBranch = "main";

    /// <summary>Authors whose branches count as agent-authored, as the demo registers the repository.</summary>
    public static IReadOnlyList<string> AgentAccounts { get; } = ["*[bot]", "*@agents.acme.test"];

    private const string Claude = "claude-sonnet-4.5-20260915";
    private const string Gpt = "gpt-5.1-codex-2026-10-02";
    private const string Gemini = "gemini-3-pro-2026-08";

    private static readonly DemoAuthor Alice = new("Alice Moreau", "alice@acme.test");
    private static readonly DemoAuthor Bob = new("Bob Lindqvist", "bob@acme.test");
    private static readonly DemoAuthor PaymentsAgent = Agent("payments-agent");
    private static readonly DemoAuthor IdentityAgent = Agent("identity-agent");
    private static readonly DemoAuthor WebAgent = Agent("web-agent");
    private static readonly DemoAuthor OrdersAgent = Agent("orders-agent");
    private static readonly DemoAuthor BillingAgent = Agent("billing-agent");
    private static readonly DemoAuthor ComplianceAgent = Agent("compliance-agent");
    private static readonly DemoAuthor DocsAgent = Agent("docs-agent");
    private static readonly DemoAuthor CiAgent = Agent("ci-agent");
    private static readonly DemoAuthor OpsAgent = Agent("ops-agent");

    /// <summary>main, oldest first: the service the agents then change.</summary>
    public static IReadOnlyList<DemoCommit> MainHistory { get; } =
    [
        new(Alice, "Payments service skeleton with CI", TimeSpan.FromDays(41),
        DemoFiles.OnMain("README.md", "src/Payments.Api/Payments.Api.csproj", "src/Payments.Api/Program.cs", ".github/workflows/ci.yml")),
        new(Bob, "Initial schema: customers, invoices, orders, users, audit events", TimeSpan.FromDays(38),
        DemoFiles.OnMain("db/migrations/20261001_initial.sql")),
        new(Alice, "Issue JWT access tokens and opaque refresh tokens", TimeSpan.FromDays(33),
        DemoFiles.OnMain("src/Payments.Api/Auth/TokenService.cs")),
        new(Bob, "Invoice listing and summary view", TimeSpan.FromDays(27),
        DemoFiles.OnMain("src/Payments.Api/Invoices/InvoiceListQuery.cs", "src/Payments.Api/Views/InvoiceSummary.cs")),
        new(Alice, "Sign in with GitHub", TimeSpan.FromDays(21),
        DemoFiles.OnMain("src/Payments.Api/Login/OAuthCallbackHandler.cs")),
        new(Bob, "Audit export as CSV and the billing client (API v2)", TimeSpan.FromDays(14),
        DemoFiles.OnMain("src/Payments.Api/Compliance/AuditExporter.cs", "src/Payments.Api/Billing/Generated/BillingClient.g.cs")),
        new(Alice, "Document webhooks; deploy to Kubernetes", TimeSpan.FromDays(6),
        DemoFiles.OnMain("docs/webhooks.md", "deploy/k8s/deployment.yaml")),
    ];

    /// <summary>The branches under review: twelve by agents and one by a person (the human baseline).</summary>
    public static IReadOnlyList<DemoBranch> Branches { get; } =
    [
        AgentBranch("agent/jwt-key-rotation", PaymentsAgent, "Rotate JWT signing keys and detect refresh-token reuse",
            "Signing keys rotate (kid header, two active keys) and a reused refresh token revokes its whole family.",
            "dana@demo.local", "sess_7f3a9c21e4", Claude, TimeSpan.FromHours(1.5),
            """
            Our refresh tokens never expire and signing keys are static. Add key rotation (kid header, two active keys)
            and refresh-token reuse detection: if a rotated refresh token is presented again, revoke the whole family.
            Store token families in Postgres. Keep the public API unchanged.
            """,
            // Four eyes inside the security team: one security reviewer has approved, the second is still to come.
            [new DemoDecision(DecisionKind.Approve, "security@demo.local", "Key rotation and reuse detection match the RFC 6819 guidance; the migration is additive.")])
        with
        {
            PolicyScore = 91,
            Rollback = new DemoRollback(
                "Revert the commit and redeploy; keep the refresh_token_families table (the old code ignores it).",
                "Every signed-in session: tokens issued under the new key stop validating after a revert, so users sign in again."),
        },

        AgentBranch("agent/mfa-for-admins", IdentityAgent, "Enforce MFA for the admin role",
            "Admin actions need an MFA claim; users.mfa_enrolled_at records enrolment.",
            "reviewer2@demo.local", "sess_c0ffee4412", Gpt, TimeSpan.FromMinutes(40),
            "Admins must have MFA. Add a policy that blocks admin actions without an MFA claim, and a column that records when MFA was enrolled."),

        AgentBranch("agent/oauth-state-check", WebAgent, "Validate OAuth state on the GitHub login callback",
            "The callback compares the state parameter with the issued one in constant time and answers 400 on a mismatch.",
            "dana@demo.local", "sess_91be002a7d", Claude, TimeSpan.FromHours(3),
            "The GitHub OAuth callback does not compare the state parameter with the one we issued. Fix it and return 400 on mismatch.")
        with
        {
            PolicyScore = 88,
            Rollback = new DemoRollback("Revert the commit; nothing is stored, so there is nothing to migrate back.", "GitHub sign-in only."),
        },

        AgentBranch("agent/orders-archived-at", OrdersAgent, "Add orders.archived_at and backfill closed orders",
            "Backfills in batches of 1,000 so the orders table is never locked for long.",
            "reviewer@demo.local", "sess_5d2e77b0c1", Gemini, TimeSpan.FromHours(5),
            "Add an archived_at column to orders and backfill it for orders closed more than 18 months ago, in batches.")
        with
        {
            Rollback = new DemoRollback("Stop the archive job, then ALTER TABLE orders DROP COLUMN archived_at.", "Order history views; no writes depend on the column yet."),
        },

        AgentBranch("agent/billing-client-v3", BillingAgent, "Regenerate the billing API client from openapi.yaml",
            "Generated from the v3 spec; invoices.status becomes an enum.",
            "reviewer2@demo.local", "sess_0a0b0c0d0e", Gpt, TimeSpan.FromHours(7),
            "Regenerate the typed client after the v3 spec update and add the invoice_status enum migration the new client relies on."),

        AgentBranch("agent/invoice-list-n-plus-one", BillingAgent, "Replace N+1 queries in the invoice listing",
            "One joined query instead of one customer lookup per invoice.",
            "dana@demo.local", "sess_e1e2e3e4e5", Claude, TimeSpan.FromHours(2),
            "The invoice list page issues one query per invoice for its customer. Load both in one query."),

        AgentBranch("agent/invoice-customer-index", BillingAgent, "Index invoices by customer and issue date",
            "A composite index for the customer statement query, built concurrently.",
            "reviewer@demo.local", "sess_abcdef1234", Claude, TimeSpan.FromHours(9),
            "The customer statement query scans invoices. Add a composite index, created concurrently.",
            [new DemoDecision(DecisionKind.Reject, "reviewer@demo.local", "CREATE INDEX CONCURRENTLY cannot run inside our migration transaction; move it to the online-DDL runbook.")]),

        AgentBranch("agent/audit-export-paging", ComplianceAgent, "Paginate the audit export query",
            "Keyset pagination, 5,000 rows per page, instead of loading every row.",
            "reviewer2@demo.local", "sess_77aa88bb99", Gemini, TimeSpan.FromMinutes(25),
            "The audit export loads every row into memory. Page through it with keyset pagination, 5,000 rows at a time.",
            [new DemoDecision(DecisionKind.Approve, "reviewer@demo.local", null)])
        with
        {
            // Pushed after the approval above, which is therefore stale: the policy needs a fresh one on the new head.
            FollowUp = new DemoCommit(ComplianceAgent,
                $"Paginate the audit export query\n\nStop at the first short page instead of asking for one more, empty page.\n\n{new ProvenanceTrailers(AgentSession: "sess_77aa88bb99", Model: Gemini, Prompter: "reviewer2@demo.local").Format()}",
                TimeSpan.FromMinutes(6),
                DemoFiles.FollowUp("agent/audit-export-paging")),
        },

        AgentBranch("agent/webhook-retry-docs", DocsAgent, "Document retry semantics of the webhook client",
            "Adds the backoff table and the deduplication header.",
            "dana@demo.local", "sess_d0c5d0c5d0", Gpt, TimeSpan.FromHours(26),
            "Explain in the README how the webhook client retries, with the backoff table.")
        with
        {
            // Every check passes and it has waited far longer than the hour: the portal approves it by itself.
            PolicyScore = 96,
        },

        AgentBranch("agent/ci-nuget-cache", CiAgent, "Cache NuGet packages in CI and add a format check",
            "Caches ~/.nuget/packages keyed on the lock files; dotnet format fails the build on drift.",
            "reviewer@demo.local", "sess_c1c1c1c1c1", Claude, TimeSpan.FromHours(4),
            "CI restores NuGet packages from scratch every run. Cache them keyed on the lock files, and fail the build on formatting drift."),

        AgentBranch("agent/money-formatter", WebAgent, "Extract money formatting into one helper",
            "Every view formats amounts through MoneyFormatter.",
            "reviewer2@demo.local", "sess_f00dfeed01", Gemini, TimeSpan.FromMinutes(55),
            "Three views format amounts differently. Add a MoneyFormatter and use it everywhere.")
        with
        {
            // Below the policy score threshold, so it waits for a person.
            PolicyScore = 74,
        },

        // No Agent-Session trailer and no session in the bundle: shown as untraced.
        AgentBranch("agent/liveness-probe-path", OpsAgent, "Fix the liveness probe path in the deployment",
            "The probe pointed at /healthz; the app serves /health.",
            "dana@demo.local", session: null, Gpt, TimeSpan.FromHours(12),
            "Pods restart every few minutes: the liveness probe points at /healthz but the app serves /health."),

        new("alice/readme-local-setup", new DemoCommit(Alice, "Explain the local setup in the README\n\nNew joiners kept asking how to run the service against a local database.\n", TimeSpan.FromHours(6),
            DemoFiles.Branch("alice/readme-local-setup")), Prompt: null),
    ];

    private static DemoAuthor Agent(string name) => new($"{name}[bot]", $"{name}@agents.acme.test");

    private static DemoBranch AgentBranch(
        string branch, DemoAuthor agent, string title, string description, string prompter, string? session, string model, TimeSpan age,
        string prompt, IReadOnlyList<DemoDecision>? decisions = null)
    {
        var trailers = new ProvenanceTrailers(AgentSession: session, Model: model, Prompter: prompter).Format();
        return new DemoBranch(branch, new DemoCommit(agent, $"{title}\n\n{description}\n\n{trailers}", age, DemoFiles.Branch(branch)), prompt, decisions);
    }
}

using System.Globalization;
using System.Text;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Provenance;

namespace ReviewPortal.Web.Infrastructure.Demo;

public sealed record DemoDecision(DecisionKind Kind, string ReviewerEmail, string? Reason);

/// <summary>A file as a commit leaves it; null content deletes it.</summary>
public sealed record DemoFile(string Path, string? Content);

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
        [
            new("README.md", Readme),
            new("src/Payments.Api/Payments.Api.csproj", ProjectFile),
            new("src/Payments.Api/Program.cs", ProgramCs),
            new(".github/workflows/ci.yml", CiOld),
        ]),
        new(Bob, "Initial schema: customers, invoices, orders, users, audit events", TimeSpan.FromDays(38),
        [
            new("db/migrations/20261001_initial.sql", InitialMigration),
        ]),
        new(Alice, "Issue JWT access tokens and opaque refresh tokens", TimeSpan.FromDays(33),
        [
            new("src/Payments.Api/Auth/TokenService.cs", TokenServiceOld),
        ]),
        new(Bob, "Invoice listing and summary view", TimeSpan.FromDays(27),
        [
            new("src/Payments.Api/Invoices/InvoiceListQuery.cs", InvoiceListOld),
            new("src/Payments.Api/Views/InvoiceSummary.cs", InvoiceSummaryOld),
        ]),
        new(Alice, "Sign in with GitHub", TimeSpan.FromDays(21),
        [
            new("src/Payments.Api/Login/OAuthCallbackHandler.cs", OAuthCallbackOld),
        ]),
        new(Bob, "Audit export as CSV and the billing client (API v2)", TimeSpan.FromDays(14),
        [
            new("src/Payments.Api/Compliance/AuditExporter.cs", AuditExportOld),
            new("src/Payments.Api/Billing/Generated/BillingClient.g.cs", GeneratedClient(180, 2)),
        ]),
        new(Alice, "Document webhooks; deploy to Kubernetes", TimeSpan.FromDays(6),
        [
            new("docs/webhooks.md", WebhookDocsOld),
            new("deploy/k8s/deployment.yaml", DeploymentOld),
        ]),
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
            [
                new("src/Payments.Api/Auth/TokenService.cs", TokenServiceNew),
                new("src/Payments.Api/Auth/RefreshTokenStore.cs", RefreshTokenStoreNew),
                new("db/migrations/20261104_refresh_token_families.sql", RefreshTokenMigration),
            ],
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
            "Admins must have MFA. Add a policy that blocks admin actions without an MFA claim, and a column that records when MFA was enrolled.",
            [
                new("src/Payments.Api/Identity/Policies/MfaRequirementHandler.cs", MfaHandlerNew),
                new("db/migrations/20261110_mfa_enrolled_at.sql", "ALTER TABLE users ADD COLUMN mfa_enrolled_at timestamptz NULL;\nCREATE INDEX ix_users_mfa_enrolled_at ON users (mfa_enrolled_at);\n"),
            ]),

        AgentBranch("agent/oauth-state-check", WebAgent, "Validate OAuth state on the GitHub login callback",
            "The callback compares the state parameter with the issued one in constant time and answers 400 on a mismatch.",
            "dana@demo.local", "sess_91be002a7d", Claude, TimeSpan.FromHours(3),
            "The GitHub OAuth callback does not compare the state parameter with the one we issued. Fix it and return 400 on mismatch.",
            [new("src/Payments.Api/Login/OAuthCallbackHandler.cs", OAuthCallbackNew)])
        with
        {
            PolicyScore = 88,
            Rollback = new DemoRollback("Revert the commit; nothing is stored, so there is nothing to migrate back.", "GitHub sign-in only."),
        },

        AgentBranch("agent/orders-archived-at", OrdersAgent, "Add orders.archived_at and backfill closed orders",
            "Backfills in batches of 1,000 so the orders table is never locked for long.",
            "reviewer@demo.local", "sess_5d2e77b0c1", Gemini, TimeSpan.FromHours(5),
            "Add an archived_at column to orders and backfill it for orders closed more than 18 months ago, in batches.",
            [
                new("db/migrations/20261112_orders_archived_at.sql", OrdersMigration),
                new("src/Payments.Api/Orders/ArchiveJob.cs", ArchiveJobNew),
            ])
        with
        {
            Rollback = new DemoRollback("Stop the archive job, then ALTER TABLE orders DROP COLUMN archived_at.", "Order history views; no writes depend on the column yet."),
        },

        AgentBranch("agent/billing-client-v3", BillingAgent, "Regenerate the billing API client from openapi.yaml",
            "Generated from the v3 spec; invoices.status becomes an enum.",
            "reviewer2@demo.local", "sess_0a0b0c0d0e", Gpt, TimeSpan.FromHours(7),
            "Regenerate the typed client after the v3 spec update and add the invoice_status enum migration the new client relies on.",
            [
                new("src/Payments.Api/Billing/Generated/BillingClient.g.cs", GeneratedClient(460, 3)),
                new("db/migrations/20261115_invoice_status_enum.sql", "CREATE TYPE invoice_status AS ENUM ('draft', 'open', 'paid', 'void');\nALTER TABLE invoices ALTER COLUMN status TYPE invoice_status USING status::invoice_status;\n"),
            ]),

        AgentBranch("agent/invoice-list-n-plus-one", BillingAgent, "Replace N+1 queries in the invoice listing",
            "One joined query instead of one customer lookup per invoice.",
            "dana@demo.local", "sess_e1e2e3e4e5", Claude, TimeSpan.FromHours(2),
            "The invoice list page issues one query per invoice for its customer. Load both in one query.",
            [new("src/Payments.Api/Invoices/InvoiceListQuery.cs", InvoiceListNew)]),

        AgentBranch("agent/invoice-customer-index", BillingAgent, "Index invoices by customer and issue date",
            "A composite index for the customer statement query, built concurrently.",
            "reviewer@demo.local", "sess_abcdef1234", Claude, TimeSpan.FromHours(9),
            "The customer statement query scans invoices. Add a composite index, created concurrently.",
            [new("db/migrations/20261118_ix_invoices_customer_issued.sql", "-- Built concurrently: invoices is large and written all day.\nCREATE INDEX CONCURRENTLY ix_invoices_customer_issued ON invoices (customer_id, issued_at DESC);\n")],
            [new DemoDecision(DecisionKind.Reject, "reviewer@demo.local", "CREATE INDEX CONCURRENTLY cannot run inside our migration transaction; move it to the online-DDL runbook.")]),

        AgentBranch("agent/audit-export-paging", ComplianceAgent, "Paginate the audit export query",
            "Keyset pagination, 5,000 rows per page, instead of loading every row.",
            "reviewer2@demo.local", "sess_77aa88bb99", Gemini, TimeSpan.FromMinutes(25),
            "The audit export loads every row into memory. Page through it with keyset pagination, 5,000 rows at a time.",
            [new("src/Payments.Api/Compliance/AuditExporter.cs", AuditExportNew)],
            [new DemoDecision(DecisionKind.Approve, "reviewer@demo.local", null)])
        with
        {
            // Pushed after the approval above, which is therefore stale: the policy needs a fresh one on the new head.
            FollowUp = new DemoCommit(ComplianceAgent,
                $"Paginate the audit export query\n\nStop at the first short page instead of asking for one more, empty page.\n\n{new ProvenanceTrailers(AgentSession: "sess_77aa88bb99", Model: Gemini, Prompter: "reviewer2@demo.local").Format()}",
                TimeSpan.FromMinutes(6),
                [new("src/Payments.Api/Compliance/AuditExporter.cs", AuditExportFollowUp)]),
        },

        AgentBranch("agent/webhook-retry-docs", DocsAgent, "Document retry semantics of the webhook client",
            "Adds the backoff table and the deduplication header.",
            "dana@demo.local", "sess_d0c5d0c5d0", Gpt, TimeSpan.FromHours(26),
            "Explain in the README how the webhook client retries, with the backoff table.",
            [new("docs/webhooks.md", WebhookDocsNew)])
        with
        {
            // Every check passes and it has waited far longer than the hour: the portal approves it by itself.
            PolicyScore = 96,
        },

        AgentBranch("agent/ci-nuget-cache", CiAgent, "Cache NuGet packages in CI and add a format check",
            "Caches ~/.nuget/packages keyed on the lock files; dotnet format fails the build on drift.",
            "reviewer@demo.local", "sess_c1c1c1c1c1", Claude, TimeSpan.FromHours(4),
            "CI restores NuGet packages from scratch every run. Cache them keyed on the lock files, and fail the build on formatting drift.",
            [new(".github/workflows/ci.yml", CiNew)]),

        AgentBranch("agent/money-formatter", WebAgent, "Extract money formatting into one helper",
            "Every view formats amounts through MoneyFormatter.",
            "reviewer2@demo.local", "sess_f00dfeed01", Gemini, TimeSpan.FromMinutes(55),
            "Three views format amounts differently. Add a MoneyFormatter and use it everywhere.",
            [
                new("src/Payments.Api/Formatting/MoneyFormatter.cs", MoneyFormatterNew),
                new("src/Payments.Api/Views/InvoiceSummary.cs", InvoiceSummaryNew),
            ])
        with
        {
            // Below the policy score threshold, so it waits for a person.
            PolicyScore = 74,
        },

        // No Agent-Session trailer and no session in the bundle: shown as untraced.
        AgentBranch("agent/liveness-probe-path", OpsAgent, "Fix the liveness probe path in the deployment",
            "The probe pointed at /healthz; the app serves /health.",
            "dana@demo.local", session: null, Gpt, TimeSpan.FromHours(12),
            "Pods restart every few minutes: the liveness probe points at /healthz but the app serves /health.",
            [new("deploy/k8s/deployment.yaml", DeploymentOld.Replace("path: /healthz", "path: /health", StringComparison.Ordinal).Replace("periodSeconds: 5", "periodSeconds: 10", StringComparison.Ordinal))]),

        new("alice/readme-local-setup", new DemoCommit(Alice, "Explain the local setup in the README\n\nNew joiners kept asking how to run the service against a local database.\n", TimeSpan.FromHours(6),
            [new("README.md", Readme + ReadmeLocalSetup)]), Prompt: null),
    ];

    private static DemoAuthor Agent(string name) => new($"{name}[bot]", $"{name}@agents.acme.test");

    private static DemoBranch AgentBranch(
        string branch, DemoAuthor agent, string title, string description, string prompter, string? session, string model, TimeSpan age,
        string prompt, IReadOnlyList<DemoFile> files, IReadOnlyList<DemoDecision>? decisions = null)
    {
        var trailers = new ProvenanceTrailers(AgentSession: session, Model: model, Prompter: prompter).Format();
        return new DemoBranch(branch, new DemoCommit(agent, $"{title}\n\n{description}\n\n{trailers}", age, files), prompt, decisions);
    }

    private const string Readme = """
        # payments-service

        Invoices, payments and the billing client for Acme. ASP.NET Core on PostgreSQL.

        - `src/Payments.Api`: the HTTP API
        - `db/migrations`: plain SQL migrations, applied in file-name order
        - `deploy/k8s`: the Kubernetes deployment

        """;

    private const string ReadmeLocalSetup = """
        ## Running it locally

        1. Start PostgreSQL 15 and create a database `payments`.
        2. Apply the migrations: `for f in db/migrations/*.sql; do psql payments -f "$f"; done`
        3. `dotnet run --project src/Payments.Api` and open http://localhost:5000/health.

        """;

    private const string ProjectFile = """
        <Project Sdk="Microsoft.NET.Sdk.Web">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Dapper" Version="2.1.66" />
            <PackageReference Include="Npgsql" Version="10.0.0" />
            <PackageReference Include="System.IdentityModel.Tokens.Jwt" Version="8.16.0" />
          </ItemGroup>
        </Project>

        """;

    private const string ProgramCs = """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddNpgsqlDataSource(builder.Configuration.GetConnectionString("Payments")!);

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok("healthy"));
        app.Run();

        """;

    private const string InitialMigration = """
        CREATE TABLE customers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            email text NOT NULL UNIQUE
        );

        CREATE TABLE invoices (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            number text NOT NULL UNIQUE,
            customer_id bigint NOT NULL REFERENCES customers (id),
            issued_at timestamptz NOT NULL,
            total numeric(12, 2) NOT NULL,
            tax numeric(12, 2) NOT NULL,
            currency char(3) NOT NULL,
            status text NOT NULL
        );

        CREATE TABLE orders (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customers (id),
            closed_at timestamptz NULL
        );

        CREATE TABLE users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email text NOT NULL UNIQUE,
            role text NOT NULL
        );

        CREATE TABLE audit_events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            actor text NOT NULL,
            action text NOT NULL,
            at timestamptz NOT NULL DEFAULT now()
        );

        """;

    private static string GeneratedClient(int operations, int version)
    {
        var text = new StringBuilder();
        text.AppendLine("// <auto-generated> by openapi-generator from openapi.yaml; do not edit.</auto-generated>");
        text.AppendLine("namespace Acme.Billing.Client;").AppendLine();
        text.AppendLine("public sealed partial class BillingClient").AppendLine("{");
        for (var i = 0; i < operations; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    public Task<Invoice> GetInvoice{i}Async(string id, CancellationToken ct = default)")
                .AppendLine(CultureInfo.InvariantCulture, $"        => SendAsync<Invoice>(HttpMethod.Get, $\"/v{version}/invoices/{{id}}/part{i}\", ct);").AppendLine();
        }

        return text.AppendLine("}").ToString();
    }

    private const string TokenServiceOld = """
        using System.IdentityModel.Tokens.Jwt;
        using Microsoft.IdentityModel.Tokens;

        namespace Payments.Api.Auth;

        public sealed class TokenService(SigningCredentials credentials)
        {
            public string IssueAccessToken(string subject)
            {
                var token = new JwtSecurityToken(
                    issuer: "payments-api",
                    claims: [new("sub", subject)],
                    expires: DateTime.UtcNow.AddHours(12),
                    signingCredentials: credentials);
                return new JwtSecurityTokenHandler().WriteToken(token);
            }

            public string IssueRefreshToken() => Guid.NewGuid().ToString("N");
        }
        """;

    private const string TokenServiceNew = """
        using System.IdentityModel.Tokens.Jwt;
        using System.Security.Cryptography;
        using Microsoft.IdentityModel.Tokens;

        namespace Payments.Api.Auth;

        public sealed class TokenService(SigningKeyRing keys, RefreshTokenStore refreshTokens, TimeProvider clock)
        {
            public string IssueAccessToken(string subject)
            {
                var key = keys.Current;
                var token = new JwtSecurityToken(
                    issuer: "payments-api",
                    claims: [new("sub", subject)],
                    expires: clock.GetUtcNow().UtcDateTime.AddMinutes(15),
                    signingCredentials: new SigningCredentials(key.Key, SecurityAlgorithms.EcdsaSha256));
                token.Header["kid"] = key.Id;
                return new JwtSecurityTokenHandler().WriteToken(token);
            }

            public async Task<string> RotateRefreshTokenAsync(string presented, CancellationToken ct)
            {
                var family = await refreshTokens.FindFamilyAsync(presented, ct);
                if (family is null || family.IsRevoked)
                {
                    throw new SecurityTokenException("Unknown refresh token.");
                }

                if (family.CurrentToken != presented)
                {
                    // A rotated token came back: someone holds a stolen copy. Revoke the whole family.
                    await refreshTokens.RevokeFamilyAsync(family.Id, ct);
                    throw new SecurityTokenException("Refresh token reuse detected.");
                }

                var next = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                await refreshTokens.RotateAsync(family.Id, next, ct);
                return next;
            }
        }
        """;

    private const string RefreshTokenStoreNew = """
        using Dapper;
        using Npgsql;

        namespace Payments.Api.Auth;

        public sealed record TokenFamily(Guid Id, string CurrentToken, bool IsRevoked);

        public sealed class RefreshTokenStore(NpgsqlDataSource db)
        {
            public async Task<TokenFamily?> FindFamilyAsync(string token, CancellationToken ct)
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                return await conn.QuerySingleOrDefaultAsync<TokenFamily>(
                    "SELECT f.id, f.current_token, f.revoked_at IS NOT NULL AS is_revoked FROM refresh_token_families f JOIN refresh_tokens t ON t.family_id = f.id WHERE t.token_hash = digest(@token, 'sha256')",
                    new { token });
            }

            public async Task RevokeFamilyAsync(Guid familyId, CancellationToken ct)
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                await conn.ExecuteAsync("UPDATE refresh_token_families SET revoked_at = now() WHERE id = @familyId", new { familyId });
            }

            public async Task RotateAsync(Guid familyId, string next, CancellationToken ct)
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                await conn.ExecuteAsync("INSERT INTO refresh_tokens (family_id, token_hash) VALUES (@familyId, digest(@next, 'sha256'))", new { familyId, next });
                await conn.ExecuteAsync("UPDATE refresh_token_families SET current_token = @next WHERE id = @familyId", new { familyId, next });
            }
        }
        """;

    private const string RefreshTokenMigration = """
        CREATE TABLE refresh_token_families (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            subject text NOT NULL,
            current_token text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            revoked_at timestamptz NULL
        );

        CREATE TABLE refresh_tokens (
            token_hash bytea PRIMARY KEY,
            family_id uuid NOT NULL REFERENCES refresh_token_families (id),
            issued_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
        """;

    private const string MfaHandlerNew = """
        using Microsoft.AspNetCore.Authorization;

        namespace Identity.Policies;

        public sealed class MfaRequirement : IAuthorizationRequirement;

        public sealed class MfaRequirementHandler : AuthorizationHandler<MfaRequirement>
        {
            protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MfaRequirement requirement)
            {
                var amr = context.User.FindAll("amr").Select(c => c.Value);
                if (context.User.IsInRole("admin") && amr.Contains("mfa"))
                {
                    context.Succeed(requirement);
                }

                return Task.CompletedTask;
            }
        }
        """;

    private const string OAuthCallbackOld = """
        namespace Web.Login;

        public sealed class OAuthCallbackHandler(IGitHubOAuthClient github, ISessionStore sessions)
        {
            public async Task<IResult> HandleAsync(HttpContext http, string code, string state)
            {
                var token = await github.ExchangeCodeAsync(code, http.RequestAborted);
                var user = await github.GetUserAsync(token, http.RequestAborted);
                await sessions.SignInAsync(http, user);
                return Results.Redirect("/");
            }
        }
        """;

    private const string OAuthCallbackNew = """
        using System.Security.Cryptography;
        using System.Text;

        namespace Web.Login;

        public sealed class OAuthCallbackHandler(IGitHubOAuthClient github, ISessionStore sessions)
        {
            public async Task<IResult> HandleAsync(HttpContext http, string code, string state)
            {
                var expected = http.Request.Cookies["oauth_state"];
                if (expected is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(state)))
                {
                    return Results.BadRequest("Login state mismatch. Start the sign-in again.");
                }

                http.Response.Cookies.Delete("oauth_state");
                var token = await github.ExchangeCodeAsync(code, http.RequestAborted);
                var user = await github.GetUserAsync(token, http.RequestAborted);
                await sessions.SignInAsync(http, user);
                return Results.Redirect("/");
            }
        }
        """;

    private const string OrdersMigration = """
        ALTER TABLE orders ADD COLUMN archived_at timestamptz NULL;
        CREATE INDEX ix_orders_archived_at ON orders (archived_at) WHERE archived_at IS NULL;
        """;

    private const string ArchiveJobNew = """"
        using Npgsql;

        namespace Orders.Archiving;

        public sealed class ArchiveJob(NpgsqlDataSource db, ILogger<ArchiveJob> logger)
        {
            public async Task RunAsync(CancellationToken ct)
            {
                int updated;
                do
                {
                    await using var cmd = db.CreateCommand("""
                        UPDATE orders SET archived_at = now()
                        WHERE id IN (SELECT id FROM orders WHERE archived_at IS NULL AND closed_at < now() - interval '18 months' LIMIT 1000)
                        """);
                    updated = await cmd.ExecuteNonQueryAsync(ct);
                    logger.LogInformation("Archived {Count} orders", updated);
                }
                while (updated > 0);
            }
        }
        """";

    private const string InvoiceListOld = """
        namespace Billing.Invoices;

        public sealed class InvoiceListQuery(BillingDb db)
        {
            public async Task<IReadOnlyList<InvoiceRow>> RunAsync(int page, CancellationToken ct)
            {
                var invoices = await db.Invoices.OrderByDescending(i => i.IssuedAt).Skip(page * 50).Take(50).ToListAsync(ct);
                var rows = new List<InvoiceRow>();
                foreach (var invoice in invoices)
                {
                    var customer = await db.Customers.FindAsync([invoice.CustomerId], ct);
                    rows.Add(new InvoiceRow(invoice.Number, customer!.Name, invoice.Total));
                }

                return rows;
            }
        }
        """;

    private const string InvoiceListNew = """"
        namespace Billing.Invoices;

        public sealed class InvoiceListQuery(BillingDb db)
        {
            public async Task<IReadOnlyList<InvoiceRow>> RunAsync(int page, CancellationToken ct) =>
                await db.Database.SqlQuery<InvoiceRow>($"""
                    SELECT i.number AS "Number", c.name AS "CustomerName", i.total AS "Total"
                    FROM invoices i JOIN customers c ON c.id = i.customer_id
                    ORDER BY i.issued_at DESC
                    OFFSET {page * 50} LIMIT 50
                    """).ToListAsync(ct);
        }
        """";

    private const string AuditExportOld = """
        namespace Compliance.Export;

        public sealed class AuditExporter(NpgsqlDataSource db)
        {
            public async Task ExportAsync(Stream output, CancellationToken ct)
            {
                await using var cmd = db.CreateCommand("SELECT id, actor, action, at FROM audit_events ORDER BY id");
                var rows = new List<AuditRow>();
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(AuditRow.Read(reader));
                }

                await CsvWriter.WriteAsync(output, rows, ct);
            }
        }
        """;

    private const string AuditExportNew = """
        namespace Compliance.Export;

        public sealed class AuditExporter(NpgsqlDataSource db)
        {
            private const int PageSize = 5000;

            public async Task ExportAsync(Stream output, CancellationToken ct)
            {
                long after = 0;
                while (true)
                {
                    await using var cmd = db.CreateCommand("SELECT id, actor, action, at FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2");
                    cmd.Parameters.AddWithValue(after);
                    cmd.Parameters.AddWithValue(PageSize);
                    var page = new List<AuditRow>(PageSize);
                    await using (var reader = await cmd.ExecuteReaderAsync(ct))
                    {
                        while (await reader.ReadAsync(ct))
                        {
                            page.Add(AuditRow.Read(reader));
                        }
                    }

                    if (page.Count == 0)
                    {
                        return;
                    }

                    await CsvWriter.WriteAsync(output, page, ct);
                    after = page[^1].Id;
                }
            }
        }
        """;

    private static string AuditExportFollowUp => AuditExportNew.Replace(
        "            await CsvWriter.WriteAsync(output, page, ct);\n",
        "            await CsvWriter.WriteAsync(output, page, ct);\n            if (page.Count < PageSize)\n            {\n                // A short page is the last one.\n                return;\n            }\n\n",
        StringComparison.Ordinal);

    private const string WebhookDocsOld = """
        # Webhooks

        The payments API sends webhooks for `payment.succeeded` and `payment.failed`.
        Each delivery is signed with HMAC-SHA256; see `X-Acme-Signature`.
        """;

    private const string WebhookDocsNew = """
        # Webhooks

        The payments API sends webhooks for `payment.succeeded` and `payment.failed`.
        Each delivery is signed with HMAC-SHA256; see `X-Acme-Signature`.

        ## Retries

        A delivery that does not get a 2xx answer within 10 seconds is retried with exponential backoff:

        | attempt | delay |
        |---|---|
        | 2 | 1 minute |
        | 3 | 5 minutes |
        | 4 | 30 minutes |
        | 5 | 2 hours |

        After the fifth attempt the delivery is marked failed and shown in the dashboard. Every attempt carries
        the same `X-Acme-Delivery` id, so receivers can deduplicate.
        """;

    private const string CiOld = """
        name: ci
        on:
          pull_request:
          push:
            branches: [main]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-dotnet@v4
                with:
                  dotnet-version: 10.0.x
              - run: dotnet restore
              - run: dotnet build --no-restore -c Release
              - run: dotnet test --no-build -c Release
        """;

    private const string CiNew = """
        name: ci
        on:
          pull_request:
          push:
            branches: [main]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-dotnet@v4
                with:
                  dotnet-version: 10.0.x
              - uses: actions/cache@v4
                with:
                  path: ~/.nuget/packages
                  key: nuget-${{ hashFiles('**/packages.lock.json') }}
              - run: dotnet restore --locked-mode
              - run: dotnet format --verify-no-changes --no-restore
              - run: dotnet build --no-restore -c Release
              - run: dotnet test --no-build -c Release
        """;

    private const string MoneyFormatterNew = """
        using System.Globalization;

        namespace Web.Formatting;

        public static class MoneyFormatter
        {
            public static string Format(decimal amount, string currency) =>
                string.Create(CultureInfo.InvariantCulture, $"{amount:N2} {currency.ToUpperInvariant()}");
        }
        """;

    private const string InvoiceSummaryOld = """
        namespace Web.Views;

        public sealed class InvoiceSummary(Invoice invoice)
        {
            public string Total => invoice.Total.ToString("0.00") + " " + invoice.Currency;
            public string Tax => "$" + invoice.Tax.ToString("F2");
        }
        """;

    private const string InvoiceSummaryNew = """
        using Web.Formatting;

        namespace Web.Views;

        public sealed class InvoiceSummary(Invoice invoice)
        {
            public string Total => MoneyFormatter.Format(invoice.Total, invoice.Currency);
            public string Tax => MoneyFormatter.Format(invoice.Tax, invoice.Currency);
        }
        """;

    private const string DeploymentOld = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: payments-api
        spec:
          replicas: 3
          template:
            spec:
              containers:
                - name: api
                  image: registry.acme.test/payments-api:1.42.0
                  ports:
                    - containerPort: 8080
                  livenessProbe:
                    httpGet:
                      path: /healthz
                      port: 8080
                    periodSeconds: 5
        """;
}

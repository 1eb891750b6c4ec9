using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Decisions;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Tests.Features.Decisions;

public sealed class DecisionServiceTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private IServiceProvider Services => fixture.Factory.Services;

    private async Task<long> NewChangeAsync(string prompter = "someone@acme.test")
    {
        var submissions = Services.GetRequiredService<ChangeSubmissionService>();
        var change = await submissions.SubmitAsync(
            new SubmitChangeRequest("Tidy logging", "acme/orders", "orders-agent[bot]", prompter, "sess_x", "gpt-5.1", "Tidy the logging.",
                [new SubmittedFile("src/Orders/Log.cs", "log(a);\n", "logger.Info(a);\n")]),
            "test", CancellationToken.None);
        return change.Id;
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        // Only the user id, as a cookie would carry it; roles must come from the database.
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, email)], "test"));
    }

    private async Task<Change> ReadAsync(long id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Changes.AsNoTracking().Include(c => c.Decisions).SingleAsync(c => c.Id == id);
    }

    [Fact]
    public async Task An_approval_is_recorded_with_the_reviewer_identity_and_time()
    {
        var id = await NewChangeAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var outcome = await Services.GetRequiredService<DecisionService>().DecideAsync(id, await PrincipalAsync(DemoLogin.Reviewer), DecisionKind.Approve, "Looks right.");

        Assert.True(outcome.Succeeded, outcome.Message);
        var change = await ReadAsync(id);
        Assert.Equal(ChangeState.Approved, change.State);
        Assert.Equal("Riley Reviewer", change.DecidedBy);
        var decision = Assert.Single(change.Decisions);
        Assert.Equal((DecisionKind.Approve, "Riley Reviewer", DemoLogin.Reviewer, "Looks right."), (decision.Kind, decision.ReviewerName, decision.ReviewerEmail, decision.Reason));
        Assert.InRange(decision.DecidedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task The_prompter_cannot_approve_and_nothing_is_recorded()
    {
        var id = await NewChangeAsync(prompter: DemoLogin.Dana);

        var outcome = await Services.GetRequiredService<DecisionService>().DecideAsync(id, await PrincipalAsync(DemoLogin.Dana), DecisionKind.Approve, null);

        Assert.False(outcome.Succeeded);
        Assert.Contains("author or prompter", outcome.Message, StringComparison.Ordinal);
        var change = await ReadAsync(id);
        Assert.Equal(ChangeState.Pending, change.State);
        Assert.Empty(change.Decisions);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_keeps_it()
    {
        var id = await NewChangeAsync();
        var decisions = Services.GetRequiredService<DecisionService>();
        var reviewer = await PrincipalAsync(DemoLogin.SecondReviewer);

        Assert.False((await decisions.DecideAsync(id, reviewer, DecisionKind.Reject, "  ")).Succeeded);
        Assert.True((await decisions.DecideAsync(id, reviewer, DecisionKind.Reject, "Logs secrets at info level.")).Succeeded);

        var change = await ReadAsync(id);
        Assert.Equal(ChangeState.Rejected, change.State);
        Assert.Equal("Logs secrets at info level.", Assert.Single(change.Decisions).Reason);
    }

    [Fact]
    public async Task A_manager_cannot_decide()
    {
        var id = await NewChangeAsync();

        var outcome = await Services.GetRequiredService<DecisionService>().DecideAsync(id, await PrincipalAsync(DemoLogin.Manager), DecisionKind.Approve, null);

        Assert.False(outcome.Succeeded);
        Assert.Equal(ChangeState.Pending, (await ReadAsync(id)).State);
    }

    [Fact]
    public async Task Roles_are_read_from_the_database_at_the_moment_of_decision()
    {
        var id = await NewChangeAsync();
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var created = await users.CreateAsync(new PortalUser { UserName = "former@acme.test", Email = "former@acme.test", DisplayName = "Former Reviewer" }, "Former-Passw0rd!");
            Assert.True(created.Succeeded);
        }

        // The principal could be hours old; the account has no reviewer role now.
        var outcome = await Services.GetRequiredService<DecisionService>().DecideAsync(id, await PrincipalAsync("former@acme.test"), DecisionKind.Approve, null);

        Assert.False(outcome.Succeeded);
        Assert.Empty((await ReadAsync(id)).Decisions);
    }

    [Fact]
    public async Task Two_simultaneous_decisions_resolve_to_one_state_and_the_loser_is_told()
    {
        var id = await NewChangeAsync();
        var decisions = Services.GetRequiredService<DecisionService>();
        var approve = await PrincipalAsync(DemoLogin.Reviewer);
        var reject = await PrincipalAsync(DemoLogin.SecondReviewer);

        var outcomes = await Task.WhenAll(
            Task.Run(() => decisions.DecideAsync(id, approve, DecisionKind.Approve, null)),
            Task.Run(() => decisions.DecideAsync(id, reject, DecisionKind.Reject, "No.")));

        Assert.Single(outcomes, o => o.Succeeded);
        var loser = Assert.Single(outcomes, o => !o.Succeeded);
        Assert.Matches("already|same moment", loser.Message);
        var change = await ReadAsync(id);
        var decision = Assert.Single(change.Decisions);
        Assert.Equal(decision.Kind == DecisionKind.Approve ? ChangeState.Approved : ChangeState.Rejected, change.State);
    }
}

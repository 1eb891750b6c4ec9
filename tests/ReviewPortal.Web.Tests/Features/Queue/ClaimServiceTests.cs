using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Queue;
using ReviewPortal.Web.Features.Shared;

namespace ReviewPortal.Web.Tests.Features.Queue;

public sealed class ClaimServiceTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private ClaimService Claims => fixture.Services.GetRequiredService<ClaimService>();

    private Task<ClaimOutcome> ClaimAsync(long id, string email) => Claims.ClaimAsync(id, fixture.PrincipalOf(email));

    private Task<ClaimOutcome> ReleaseAsync(long id, string email) => Claims.ReleaseAsync(id, fixture.PrincipalOf(email));

    [Fact]
    public async Task A_reviewer_claims_an_unassigned_change_and_it_is_recorded()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()));

        var outcome = await ClaimAsync(change.Id, QueueFixture.Riley);

        Assert.True(outcome.Succeeded, outcome.Message);
        var stored = await fixture.ReadAsync(change.Id);
        Assert.Equal((fixture.IdOf(QueueFixture.Riley), "Riley Reviewer"), (stored.AssignedToId, stored.AssignedToName));
        Assert.NotNull(stored.AssignedAt);
        Assert.Contains(stored.Events, e => e.Kind == ChangeEventKind.Claimed && e.Detail.Contains("Riley Reviewer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_claimed_change_cannot_be_claimed_by_someone_else_who_is_told_who_has_it()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { AssignedTo = QueueFixture.Sam });

        var outcome = await ClaimAsync(change.Id, QueueFixture.Riley);

        Assert.False(outcome.Succeeded);
        Assert.Equal("Sam Okafor has this change.", outcome.Message);
        Assert.Equal(fixture.IdOf(QueueFixture.Sam), (await fixture.ReadAsync(change.Id)).AssignedToId);
    }

    [Fact]
    public async Task Two_claims_at_the_same_moment_resolve_on_xmin_and_the_loser_is_told_who_won()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()));

        // Hold the row so both claims read the same xmin and then queue up on their UPDATE: a race every time.
        await using var blocker = await fixture.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM changes WHERE \"Id\" = @id FOR UPDATE", blocker, transaction))
        {
            lockRow.Parameters.AddWithValue("id", change.Id);
            await lockRow.ExecuteScalarAsync();
        }

        var riley = Task.Run(() => ClaimAsync(change.Id, QueueFixture.Riley));
        var sam = Task.Run(() => ClaimAsync(change.Id, QueueFixture.Sam));
        await WaitForBlockedSessionsAsync(2);
        await transaction.CommitAsync();
        var outcomes = await Task.WhenAll(riley, sam);

        var winner = Assert.Single(outcomes, o => o.Succeeded);
        var loser = Assert.Single(outcomes, o => !o.Succeeded);
        Assert.Equal($"{winner.AssignedToName} claimed this change a moment before you.", loser.Message);
        var stored = await fixture.ReadAsync(change.Id);
        Assert.Equal(winner.AssignedToName, stored.AssignedToName);
        Assert.Single(stored.Events, e => e.Kind == ChangeEventKind.Claimed);
    }

    private async Task WaitForBlockedSessionsAsync(int count)
    {
        // On a connection of its own: within a transaction PostgreSQL keeps showing the first snapshot of pg_stat_activity.
        await using var connection = await fixture.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await Eventually.TrueAsync(
            async () =>
            {
                await using var command = new NpgsqlCommand(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", connection);
                return (long)(await command.ExecuteScalarAsync())! >= count;
            },
            "both claims to reach their UPDATE and wait on the row lock");
    }

    [Fact]
    public async Task Only_security_reviewers_claim_a_tier_4_change()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });

        var reviewer = await ClaimAsync(change.Id, QueueFixture.Riley);
        var security = await ClaimAsync(change.Id, QueueFixture.Sasha);

        Assert.False(reviewer.Succeeded);
        Assert.Equal(ChangeAccess.NotFoundMessage, reviewer.Message);
        Assert.True(security.Succeeded, security.Message);
        Assert.Equal("Sasha Ivanova", (await fixture.ReadAsync(change.Id)).AssignedToName);
    }

    [Fact]
    [Trait("Category", "DecisionIntegrity")]
    public async Task A_hidden_change_answers_a_claim_and_a_release_as_a_missing_one_and_nothing_changes()
    {
        var hidden = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical, AssignedTo = QueueFixture.Sasha });
        const long missing = long.MaxValue;

        var claims = (await ClaimAsync(hidden.Id, QueueFixture.Riley), await ClaimAsync(missing, QueueFixture.Riley));
        var releases = (await ReleaseAsync(hidden.Id, QueueFixture.Riley), await ReleaseAsync(missing, QueueFixture.Riley));

        Assert.Equal(claims.Item2, claims.Item1);
        Assert.Equal(releases.Item2, releases.Item1);
        Assert.Equal(ClaimOutcome.Fail(ChangeAccess.NotFoundMessage), claims.Item1);
        Assert.Equal(ClaimOutcome.Fail(ChangeAccess.NotFoundMessage), releases.Item1);
        var stored = await fixture.ReadAsync(hidden.Id);
        Assert.Equal("Sasha Ivanova", stored.AssignedToName);
        Assert.DoesNotContain(stored.Events, e => e.Kind is ChangeEventKind.Claimed or ChangeEventKind.Released);
    }

    [Fact]
    public async Task A_manager_and_the_prompter_cannot_claim()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Prompter = QueueFixture.Dana });

        var manager = await ClaimAsync(change.Id, QueueFixture.Morgan);
        var prompter = await ClaimAsync(change.Id, QueueFixture.Dana);

        Assert.False(manager.Succeeded);
        Assert.False(prompter.Succeeded);
        Assert.Contains("prompted", prompter.Message, StringComparison.Ordinal);
        Assert.Null((await fixture.ReadAsync(change.Id)).AssignedToId);
    }

    [Fact]
    public async Task A_decided_change_cannot_be_claimed()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { State = ChangeState.Approved });

        var outcome = await ClaimAsync(change.Id, QueueFixture.Riley);

        Assert.False(outcome.Succeeded);
        Assert.Contains("already approved", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_assignee_releases_and_nobody_else_can()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { AssignedTo = QueueFixture.Riley });

        var other = await ReleaseAsync(change.Id, QueueFixture.Sam);
        Assert.False(other.Succeeded);
        Assert.Contains("Riley Reviewer", other.Message, StringComparison.Ordinal);
        Assert.NotNull((await fixture.ReadAsync(change.Id)).AssignedToId);

        var own = await ReleaseAsync(change.Id, QueueFixture.Riley);
        Assert.True(own.Succeeded, own.Message);
        var stored = await fixture.ReadAsync(change.Id);
        Assert.Null(stored.AssignedToId);
        Assert.Null(stored.AssignedToName);
        Assert.Contains(stored.Events, e => e.Kind == ChangeEventKind.Released);
    }

    [Fact]
    public async Task A_security_reviewer_takes_a_tier_4_change_from_a_plain_reviewer_who_can_no_longer_hold_it()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical, AssignedTo = QueueFixture.Riley });

        var outcome = await ClaimAsync(change.Id, QueueFixture.Kim);

        Assert.True(outcome.Succeeded, outcome.Message);
        var stored = await fixture.ReadAsync(change.Id);
        Assert.Equal("Kim Laurent", stored.AssignedToName);
        Assert.Contains(stored.Events, e => e.Kind == ChangeEventKind.Claimed && e.Detail.Contains("from Riley Reviewer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Roles_are_read_from_the_database_at_the_moment_of_the_claim()
    {
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()));
        const string email = "former@queue.test";
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "Former Reviewer" };
            Assert.True((await users.CreateAsync(user, QueueFixture.Password)).Succeeded);
            // The principal below could have been issued while they were a reviewer; they are not one now.
            var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id), new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, PortalRoles.Reviewer)], "test"));

            var outcome = await Claims.ClaimAsync(change.Id, principal);

            Assert.False(outcome.Succeeded);
        }

        Assert.Null((await fixture.ReadAsync(change.Id)).AssignedToId);
    }
}

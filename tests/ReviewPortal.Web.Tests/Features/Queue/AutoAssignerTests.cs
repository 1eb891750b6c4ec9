using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReviewPortal.Domain.Changes;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Queue;

namespace ReviewPortal.Web.Tests.Features.Queue;

/// <summary>
/// Assignment passes over the whole database, so each test starts by closing every open change: the reviewers'
/// loads are then only what the test itself sets up. Tests of one class run one after another.
/// </summary>
public sealed class AutoAssignerTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private AutoAssigner Assigner => fixture.Services.GetRequiredService<AutoAssigner>();

    private async Task CloseEverythingAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Changes.Where(c => c.State == ChangeState.Pending).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, ChangeState.Rejected));
    }

    /// <summary><paramref name="count"/> open changes already held by <paramref name="email"/> (their load).</summary>
    private async Task GiveLoadAsync(string email, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await fixture.AddAsync(new(QueueFixture.NewRepository()) { AssignedTo = email, AutoAssignedTier = RiskTier.Medium, Title = $"load of {email}" });
        }
    }

    [Fact]
    public async Task A_new_change_goes_to_the_least_loaded_reviewer()
    {
        await CloseEverythingAsync();
        await GiveLoadAsync(QueueFixture.Riley, 2);
        await GiveLoadAsync(QueueFixture.Sam, 1);
        await GiveLoadAsync(QueueFixture.Dana, 3);
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Medium });

        var pass = await Assigner.RunOnceAsync();

        Assert.False(pass.Skipped);
        Assert.Equal(1, pass.Assigned);
        var stored = await fixture.ReadAsync(change.Id);
        Assert.Equal(fixture.IdOf(QueueFixture.Sam), stored.AssignedToId);
        Assert.Equal(RiskTier.Medium, stored.AutoAssignedTier);
        Assert.Contains(stored.Events, e => e.Kind == ChangeEventKind.AutoAssigned && e.Detail.Contains("Sam Okafor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_new_changes_spread_over_the_reviewers_with_ties_to_the_first_name()
    {
        await CloseEverythingAsync();
        var changes = new List<Change>();
        for (var i = 0; i < 6; i++)
        {
            changes.Add(await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.High, Age = TimeSpan.FromMinutes(60 - i) }));
        }

        await Assigner.RunOnceAsync();

        // Oldest first; equal loads go to the user names in ordinal order: dana@, riley@, sam@, then round again.
        var assignees = new List<string?>();
        foreach (var change in changes)
        {
            assignees.Add((await fixture.ReadAsync(change.Id)).AssignedToName);
        }

        Assert.Equal(["Dana Whitfield", "Riley Reviewer", "Sam Okafor", "Dana Whitfield", "Riley Reviewer", "Sam Okafor"], assignees);
    }

    [Fact]
    public async Task The_author_and_the_prompter_are_never_assigned_their_own_change()
    {
        await CloseEverythingAsync();
        await GiveLoadAsync(QueueFixture.Riley, 4);
        await GiveLoadAsync(QueueFixture.Sam, 4);
        var prompted = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Prompter = QueueFixture.Dana });
        var authored = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Author = "Dana@Queue.test", Prompter = null });

        await Assigner.RunOnceAsync();

        Assert.NotEqual(fixture.IdOf(QueueFixture.Dana), (await fixture.ReadAsync(prompted.Id)).AssignedToId);
        Assert.NotEqual(fixture.IdOf(QueueFixture.Dana), (await fixture.ReadAsync(authored.Id)).AssignedToId);
        Assert.NotNull((await fixture.ReadAsync(prompted.Id)).AssignedToId);
    }

    [Fact]
    public async Task Tier_4_goes_to_a_security_reviewer_and_tier_1_is_not_assigned_by_default()
    {
        await CloseEverythingAsync();
        await GiveLoadAsync(QueueFixture.Sasha, 1);
        var critical = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });
        var low = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Low });

        await Assigner.RunOnceAsync();

        Assert.Equal("Kim Laurent", (await fixture.ReadAsync(critical.Id)).AssignedToName);
        var stored = await fixture.ReadAsync(low.Id);
        Assert.Null(stored.AssignedToId);
        Assert.Null(stored.AutoAssignedTier);
    }

    [Fact]
    public async Task A_released_change_is_not_handed_straight_back()
    {
        await CloseEverythingAsync();
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()));
        await Assigner.RunOnceAsync();
        var assignee = (await fixture.ReadAsync(change.Id)).AssignedToId!;
        var email = QueueFixture.People.Single(p => fixture.IdOf(p.Email) == assignee).Email;

        Assert.True((await fixture.Services.GetRequiredService<ClaimService>().ReleaseAsync(change.Id, fixture.PrincipalOf(email))).Succeeded);
        var second = await Assigner.RunOnceAsync();

        Assert.Equal(0, second.Assigned);
        Assert.Null((await fixture.ReadAsync(change.Id)).AssignedToId);
    }

    [Fact]
    public async Task A_change_whose_tier_rises_to_4_under_a_plain_reviewer_is_reassigned_to_a_security_reviewer()
    {
        await CloseEverythingAsync();
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Medium });
        await Assigner.RunOnceAsync();
        Assert.Equal(fixture.IdOf(QueueFixture.Dana), (await fixture.ReadAsync(change.Id)).AssignedToId);

        await fixture.UpdateAsync(change.Id, c => c.Tier = RiskTier.Critical);
        var pass = await Assigner.RunOnceAsync();

        Assert.Equal((1, 1), (pass.Assigned, pass.Unassigned));
        var stored = await fixture.ReadAsync(change.Id);
        Assert.Equal("Kim Laurent", stored.AssignedToName);
        Assert.Equal(RiskTier.Critical, stored.AutoAssignedTier);
        Assert.Contains(stored.Events, e => e.Kind == ChangeEventKind.Unassigned && e.Detail.Contains("Dana Whitfield", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rise_within_tiers_1_to_3_keeps_an_eligible_assignee()
    {
        await CloseEverythingAsync();
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Medium, AssignedTo = QueueFixture.Sam, AutoAssignedTier = RiskTier.Medium });

        await fixture.UpdateAsync(change.Id, c => c.Tier = RiskTier.High);
        await Assigner.RunOnceAsync();

        var stored = await fixture.ReadAsync(change.Id);
        Assert.Equal(fixture.IdOf(QueueFixture.Sam), stored.AssignedToId);
        Assert.Equal(RiskTier.High, stored.AutoAssignedTier);
    }

    [Fact]
    public async Task Two_instances_running_passes_at_once_assign_each_change_once()
    {
        await CloseEverythingAsync();
        var changes = new List<Change>();
        for (var i = 0; i < 12; i++)
        {
            changes.Add(await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = i % 4 == 0 ? RiskTier.Critical : RiskTier.Medium }));
        }

        var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Assigner.RunOnceAsync())));

        Assert.Equal(12, passes.Sum(p => p.Assigned));
        foreach (var change in changes)
        {
            var stored = await fixture.ReadAsync(change.Id);
            Assert.NotNull(stored.AssignedToId);
            Assert.Single(stored.Events, e => e.Kind == ChangeEventKind.AutoAssigned);
        }
    }

    [Fact]
    public async Task A_pass_is_skipped_while_another_instance_holds_the_lock()
    {
        await CloseEverythingAsync();
        var change = await fixture.AddAsync(new(QueueFixture.NewRepository()));
        await using var other = await fixture.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AutoAssigner.AdvisoryLockKey})", other))
        {
            await take.ExecuteScalarAsync();
        }

        var skipped = await Assigner.RunOnceAsync();
        var whileSkipped = (await fixture.ReadAsync(change.Id)).AssignedToId;
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AutoAssigner.AdvisoryLockKey})", other))
        {
            await release.ExecuteScalarAsync();
        }

        var ran = await Assigner.RunOnceAsync();

        Assert.True(skipped.Skipped);
        Assert.Null(whileSkipped);
        Assert.False(ran.Skipped);
        Assert.Equal(1, ran.Assigned);
    }
}

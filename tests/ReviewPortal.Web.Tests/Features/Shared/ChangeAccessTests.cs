using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Domain.People;
using ReviewPortal.Web.Features.Shared;
using ReviewPortal.Web.Tests.Features.Queue;

namespace ReviewPortal.Web.Tests.Features.Shared;

/// <summary>The one check behind every page and endpoint that opens a change: hidden answers as missing, and is logged.</summary>
[Trait("Category", "DecisionIntegrity")]
public sealed class ChangeAccessTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private readonly RecordingLogger<ChangeAccess> _log = new();

    private ChangeAccess Access => new(fixture.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), _log);

    [Fact]
    public async Task A_hidden_change_answers_as_a_missing_one_and_the_attempt_is_one_structured_log_entry()
    {
        var hidden = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });
        var riley = await fixture.ViewerAsync(QueueFixture.Riley);

        Assert.Equal(ChangeAccessResult.NotFound, await Access.CheckAsync(riley, hidden.Id));
        Assert.Equal(ChangeAccessResult.NotFound, await Access.CheckAsync(riley, long.MaxValue));

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal((QueueFixture.Riley, hidden.Id), ((string?)entry.Fields["Viewer"], (long?)entry.Fields["ChangeId"]));
        Assert.Equal("tier 4, and the user is not a security reviewer", entry.Fields["Reason"]);
    }

    [Fact]
    public async Task A_security_reviewer_and_the_submitting_client_are_allowed_and_nothing_is_logged()
    {
        var hidden = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical, SubmittedBy = "payments-agent" });

        Assert.Equal(ChangeAccessResult.Allowed, await Access.CheckAsync(await fixture.ViewerAsync(QueueFixture.Sasha), hidden.Id));
        Assert.Equal(ChangeAccessResult.Allowed, await Access.CheckAsync(ChangeViewer.ForApiClient("payments-agent"), hidden.Id));
        Assert.Equal(ChangeAccessResult.NotFound, await Access.CheckAsync(ChangeViewer.ForApiClient("other-agent"), hidden.Id));
        Assert.Equal("API client other-agent", Assert.Single(_log.Entries).Fields["Viewer"]);
    }

    [Fact]
    public async Task Asking_whether_a_live_update_concerns_a_viewer_logs_nothing()
    {
        var hidden = await fixture.AddAsync(new(QueueFixture.NewRepository()) { Tier = RiskTier.Critical });

        Assert.False(await Access.CanViewAsync(await fixture.ViewerAsync(QueueFixture.Riley), hidden.Id));
        Assert.Empty(_log.Entries);
    }
}

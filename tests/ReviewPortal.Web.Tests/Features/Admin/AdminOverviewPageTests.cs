using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Admin;

[Trait("Category", "Component")]
public sealed class AdminOverviewPageTests(PortalFixture fixture) : AdminPageTest(fixture), IClassFixture<PortalFixture>
{
    [Fact]
    public async Task The_overview_shows_the_databases_figures_each_linking_to_its_page()
    {
        var repository = await QueryAsync(db => db.Repositories.AsNoTracking().OrderBy(r => r.Id).FirstAsync());
        await AddDeliveryAsync(repository.Id, DeliveryStatus.Failed, attempts: 1, "GitHub answered 401: bad credentials");
        await AddDeliveryAsync(repository.Id, DeliveryStatus.Failed, attempts: 5, "pull request 9 not found");
        await AddDeliveryAsync(repository.Id, DeliveryStatus.Pending, attempts: 2, "GitHub answered 503");
        var revoked = await Portal.GetRequiredService<ApiClientRegistry>().CreateAsync($"overview-revoked-{Guid.NewGuid():N}"[..24], "test admin");
        await Portal.GetRequiredService<ApiClientRegistry>().RevokeAsync(revoked.Client.Id);
        var expected = await QueryAsync(async db => new
        {
            Repositories = await db.Repositories.CountAsync(),
            Active = await db.ApiClients.CountAsync(c => c.RevokedAt == null),
            Revoked = await db.ApiClients.CountAsync(c => c.RevokedAt != null),
            Version = await db.RiskRuleSets.Where(r => r.IsActive).Select(r => r.Version).SingleAsync(),
            Failed = await db.WebhookDeliveries.CountAsync(d => d.Status == DeliveryStatus.Failed),
            Retrying = await db.WebhookDeliveries.CountAsync(d => d.Status == DeliveryStatus.Pending && d.Attempts > 0),
        });

        var page = RenderPage<AdminOverviewPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=figure-repositories]")), Patience);
        Assert.Equal($"{expected.Repositories}", Value(page, "figure-repositories"));
        Assert.Equal("1 with failed webhook deliveries", page.Find("[data-testid=figure-repositories-attention]").TextContent.Trim());
        Assert.Equal(expected.Version, Value(page, "figure-risk-rules"));
        Assert.Equal($"{expected.Active} active", Value(page, "figure-api-clients"));
        Assert.Contains($"{expected.Revoked} revoked", page.Find("[data-testid=figure-api-clients]").TextContent, StringComparison.Ordinal);
        Assert.True(expected.Failed >= 2 && expected.Retrying >= 1);
        Assert.Equal($"{expected.Failed} failed", Value(page, "figure-deliveries"));
        Assert.Contains($"{expected.Retrying} waiting for retry", page.Find("[data-testid=figure-deliveries]").TextContent, StringComparison.Ordinal);
        Assert.Equal(
            ["/admin/repositories", "/admin/risk-rules", "/admin/api-clients", "/admin/webhook-deliveries"],
            page.FindAll("a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_deliveries_page_lists_failed_deliveries_with_their_error_and_those_waiting_for_retry_apart()
    {
        var repository = await QueryAsync(db => db.Repositories.AsNoTracking().OrderBy(r => r.Id).FirstAsync());
        var failed = $"token revoked {Guid.NewGuid():N}";
        var retrying = $"SCM answered 503 {Guid.NewGuid():N}";
        await AddDeliveryAsync(repository.Id, DeliveryStatus.Failed, attempts: 1, failed);
        await AddDeliveryAsync(repository.Id, DeliveryStatus.Pending, attempts: 1, retrying);

        var failedPage = RenderPage<WebhookDeliveriesPage>();
        failedPage.WaitForAssertion(() => Assert.Contains(failed, failedPage.Find("[data-testid=delivery-list]").TextContent, StringComparison.Ordinal), Patience);
        Assert.DoesNotContain(retrying, failedPage.Markup, StringComparison.Ordinal);
        Assert.Contains(repository.Name, failedPage.Find("[data-testid=delivery-list]").TextContent, StringComparison.Ordinal);

        Services.GetRequiredService<NavigationManager>().NavigateTo("/admin/webhook-deliveries?show=retrying");
        var retryPage = Render<WebhookDeliveriesPage>();
        retryPage.WaitForAssertion(() => Assert.Contains(retrying, retryPage.Find("[data-testid=delivery-list]").TextContent, StringComparison.Ordinal), Patience);
        Assert.DoesNotContain(failed, retryPage.Markup, StringComparison.Ordinal);
    }

    private static string Value<TPage>(IRenderedComponent<TPage> page, string figure)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        page.Find($"[data-testid={figure}-value]").TextContent.Trim();

    private Task AddDeliveryAsync(long repositoryId, DeliveryStatus status, int attempts, string error) => QueryAsync(async db =>
    {
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            RepositoryId = repositoryId, Provider = ScmProvider.GitHub, DeliveryId = Guid.NewGuid().ToString(), EventType = "pull_request", Payload = "{}",
            ReceivedAt = DateTimeOffset.UtcNow, Status = status, Attempts = attempts, LastError = error,
            // A pending delivery waits far ahead, so the portal's own worker leaves it alone while the test looks.
            NextAttemptAt = DateTimeOffset.UtcNow.AddDays(1),
            ProcessedAt = status == DeliveryStatus.Failed ? DateTimeOffset.UtcNow : null,
        });
        return await db.SaveChangesAsync();
    });
}

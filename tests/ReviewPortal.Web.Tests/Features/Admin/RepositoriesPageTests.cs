using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Admin;

[Trait("Category", "Component")]
public sealed class RepositoriesPageTests(PortalFixture fixture) : AdminPageTest(fixture), IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Registering_without_a_name_says_the_name_is_required_and_registers_nothing()
    {
        var before = await QueryAsync(db => db.Repositories.CountAsync());
        var page = RenderPage<RepositoriesPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=repository-list] tbody tr")), Patience);

        Button(page, "Register").Click();

        page.WaitForAssertion(() => Assert.Equal("Name is required.", ErrorUnder(page, "#repo-name")), Patience);
        Assert.Empty(page.FindAll("[data-testid=webhook-secret]"));
        Assert.Equal(before, await QueryAsync(db => db.Repositories.CountAsync()));
    }

    [Fact]
    public async Task Registering_shows_the_absolute_webhook_url_and_secret_to_copy_lists_the_repository_and_clears_the_form()
    {
        var name = $"acme/bunit-{Guid.NewGuid():N}"[..24];
        var page = RenderPage<RepositoriesPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=repository-list] tbody tr")), Patience);

        page.Find("#repo-name").Change(name);
        page.Find("#repo-token").Change("ghp_bunit");
        Button(page, "Register").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=webhook-secret]")), Patience);
        var stored = await QueryAsync(db => db.Repositories.AsNoTracking().SingleAsync(r => r.Name == name));
        var url = $"http://localhost/webhooks/github/{stored.Id}";
        Assert.Equal(url, page.Find("[data-testid=webhook-url]").TextContent);
        Assert.Matches("^[0-9a-f]{64}$", page.Find("[data-testid=webhook-secret-value]").TextContent);
        Assert.Contains(url, page.Find("[data-testid=repository-list]").TextContent, StringComparison.Ordinal);
        Assert.Equal("", page.Find("#repo-name").GetAttribute("value") ?? "");
        Assert.Equal("", page.Find("#repo-token").GetAttribute("value") ?? "");
        Assert.Equal("*[bot]", page.Find("#repo-agents").GetAttribute("value"));

        var clipboard = JSInterop.SetupVoid("navigator.clipboard.writeText", _ => true);
        clipboard.SetVoidResult();
        page.Find("[data-testid=copy-webhook-url]").Click();
        Assert.Equal(url, Assert.Single(clipboard.Invocations).Arguments[0]);
    }

    [Fact]
    public async Task A_taken_name_and_a_too_long_path_are_refused_at_their_fields()
    {
        var name = $"acme/taken-{Guid.NewGuid():N}"[..24];
        await Portal.GetRequiredService<RepositoryRegistry>().RegisterAsync(new RegisterRepositoryRequest(ScmProvider.GitHub, name, null, null, null, null));
        var page = RenderPage<RepositoriesPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=repository-list] tbody tr")), Patience);

        page.Find("#repo-name").Change(name);
        page.Find("#repo-path").Change(new string('p', 1001));
        Button(page, "Register").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Local path must be at most 1000 characters (it has 1001).", ErrorUnder(page, "#repo-path"));
        }, Patience);
        Assert.Empty(page.FindAll("[data-testid=webhook-secret]"));

        page.Find("#repo-path").Change("");
        Button(page, "Register").Click();

        page.WaitForAssertion(() => Assert.Equal($"A GitHub repository named '{name}' is already registered.", ErrorUnder(page, "#repo-name")), Patience);
        Assert.Null(ErrorUnder(page, "#repo-path"));
        Assert.Equal(1, await QueryAsync(db => db.Repositories.CountAsync(r => r.Name == name)));
    }
}

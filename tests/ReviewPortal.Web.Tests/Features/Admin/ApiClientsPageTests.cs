using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.ApiClients;
using ReviewPortal.Web.Features.Admin;

namespace ReviewPortal.Web.Tests.Features.Admin;

[Trait("Category", "Component")]
public sealed class ApiClientsPageTests(PortalFixture fixture) : AdminPageTest(fixture), IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Creating_a_client_shows_its_key_once_to_copy_and_revoking_it_asks_first()
    {
        var name = $"bunit-agent-{Guid.NewGuid():N}"[..20];
        var page = RenderPage<ApiClientsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=api-client-list] tbody tr")), Patience);

        page.Find("#client-name").Change(name);
        Button(page, "Create key").Click();

        page.WaitForAssertion(() => Assert.Contains(name, page.Find("[data-testid=api-client-list]").TextContent, StringComparison.Ordinal), Patience);
        var key = page.Find("[data-testid=new-api-key-value]").TextContent;
        Assert.Matches("^rp_[0-9a-f]{12}_[0-9a-f]{48}$", key);
        Assert.Equal("", page.Find("#client-name").GetAttribute("value") ?? "");
        var clipboard = JSInterop.SetupVoid("navigator.clipboard.writeText", _ => true);
        clipboard.SetVoidResult();
        // Found and clicked in one dispatch: the form (its scope checkboxes) may render again after the creation.
        await page.InvokeAsync(() => page.Find("[data-testid=copy-api-key]").Click());
        Assert.Equal(key, Assert.Single(clipboard.Invocations).Arguments[0]);
        var client = await QueryAsync(db => db.ApiClients.AsNoTracking().SingleAsync(c => c.Name == name));

        Button(page, $"Revoke {name}").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains($"Revoke {name}?", Dialogs.Markup, StringComparison.Ordinal), Patience);
        Button(Dialogs, "Cancel").Click();
        Dialogs.WaitForAssertion(() => Assert.DoesNotContain($"Revoke {name}?", Dialogs.Markup, StringComparison.Ordinal), Patience);
        Assert.Null((await QueryAsync(db => db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == client.Id))).RevokedAt);

        Button(page, $"Revoke {name}").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains($"Revoke {name}?", Dialogs.Markup, StringComparison.Ordinal), Patience);
        Button(Dialogs, "Revoke").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == $"Revoke {name}"), Patience);
        var row = page.FindAll("[data-testid=api-client-list] tbody tr").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal));
        Assert.Contains("revoked", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull((await QueryAsync(db => db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == client.Id))).RevokedAt);
    }

    [Fact]
    public async Task A_taken_name_is_refused_at_the_name_field_until_it_changes()
    {
        var name = $"bunit-taken-{Guid.NewGuid():N}"[..20];
        await Portal.GetRequiredService<ApiClientRegistry>().CreateAsync(name, "test admin");
        var page = RenderPage<ApiClientsPage>();
        page.WaitForAssertion(() => Assert.Contains(name, page.Find("[data-testid=api-client-list]").TextContent, StringComparison.Ordinal), Patience);

        page.Find("#client-name").Change(name);
        Button(page, "Create key").Click();

        page.WaitForAssertion(() => Assert.Equal($"A client named '{name}' already exists.", ErrorUnder(page, "#client-name")), Patience);
        Assert.Empty(page.FindAll("[data-testid=new-api-key]"));
        page.Find("#client-name").Change(name + "-2");
        page.WaitForAssertion(() => Assert.Null(ErrorUnder(page, "#client-name")), Patience);
    }

    [Fact]
    public async Task A_new_client_holds_the_scopes_ticked_and_the_list_shows_them()
    {
        var name = $"bunit-scoped-{Guid.NewGuid():N}"[..20];
        var page = RenderPage<ApiClientsPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=scope-SubmitChanges] input")), Patience);

        page.Find("#client-name").Change(name);
        await page.InvokeAsync(() => page.Find("[data-testid=scope-SubmitChanges] input").Change(false));
        await page.InvokeAsync(() => page.Find("[data-testid=scope-TriggerPolls] input").Change(true));
        await page.InvokeAsync(() => Button(page, "Create key").Click());

        page.WaitForAssertion(() => Assert.Contains(name, page.Find("[data-testid=api-client-list]").TextContent, StringComparison.Ordinal), Patience);
        var client = await QueryAsync(db => db.ApiClients.AsNoTracking().SingleAsync(c => c.Name == name));
        Assert.Equal(ApiScope.AttachProvenance | ApiScope.ReadChanges | ApiScope.TriggerPolls, client.Scopes);
        Assert.Equal("Attach provenance, Read changes, Trigger polls", page.Find($"[data-testid=api-client-scopes-{client.Id}]").TextContent.Trim());
    }

    [Fact]
    public async Task A_clients_page_changes_its_scopes_and_shows_its_repository_limit()
    {
        var created = await Portal.GetRequiredService<ApiClientRegistry>().CreateAsync($"bunit-edit-{Guid.NewGuid():N}"[..20], "test admin", ApiScope.ReadChanges);
        var page = RenderPage<ApiClientPage>(p => p.Add(x => x.ClientId, created.Client.Id));
        page.WaitForAssertion(() => Assert.Equal("Read changes", page.Find("[data-testid=api-client-scopes]").TextContent.Trim()), Patience);
        Assert.Equal("any", page.Find("[data-testid=api-client-repositories]").TextContent.Trim());

        await page.InvokeAsync(() => page.Find("[data-testid=scope-Administer] input").Change(true));
        await page.InvokeAsync(() => Button(page, "Save scopes").Click());

        page.WaitForAssertion(() => Assert.Equal("Read changes, Administer", page.Find("[data-testid=api-client-scopes]").TextContent.Trim()), Patience);
        Assert.Equal(ApiScope.ReadChanges | ApiScope.Administer, (await QueryAsync(db => db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == created.Client.Id))).Scopes);
    }
}

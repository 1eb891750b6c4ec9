using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Web.Features.Account;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>Admin > People: each person's roles with their origin, and revoking roles or ending sessions.</summary>
public partial class PeoplePage
{
    private List<PersonSummary>? people;
    private string? message;
    private bool failed;
    private bool busy;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private PeopleAdministration People { get; set; } = default!;

    protected override async Task OnInitializedAsync() => people = await People.ListAsync();

    private Task RevokeAsync(PersonSummary person, string role) => ActAsync(admin => People.RevokeRoleAsync(person.UserId, role, admin));

    private Task AllowAsync(PersonSummary person, string role) => ActAsync(admin => People.AllowRoleAsync(person.UserId, role, admin));

    private Task EndSessionsAsync(PersonSummary person) => ActAsync(admin => People.EndSessionsAsync(person.UserId, admin));

    private async Task ActAsync(Func<string, Task<string>> action)
    {
        busy = true;
        try
        {
            var admin = PortalClaimsPrincipalFactory.DisplayNameOf((await AuthenticationState).User) ?? "an admin";
            message = await action(admin);
            failed = false;
        }
        catch (InvalidOperationException refused)
        {
            // The account went away, or the user store refused the change: the page says so and shows what is true now.
            message = refused.Message;
            failed = true;
        }
        finally
        {
            busy = false;
        }

        people = await People.ListAsync();
    }
}

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ReviewPortal.Web.Features.Queue;

namespace ReviewPortal.Web.Features.Review;

public partial class ReviewPage
{
    private ReviewModel? model;
    private string? loadError;
    private bool accessDenied;


    [Parameter]
    public long Id { get; set; }

    [SupplyParameterFromQuery(Name = "revision")]
    public int? RevisionNumber { get; set; }

    [SupplyParameterFromQuery(Name = "since")]
    public int? SinceRevision { get; set; }

    [Inject]
    private ReviewQuery Query { get; set; } = default!;

    [Inject]
    private ChangeAccess Access { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ILogger<ReviewPage> Logger { get; set; } = default!;

    protected override Task OnParametersSetAsync() => ReloadAsync();

    private async Task ReloadAsync()
    {
        try
        {
            // Before anything of the change is read: a tier-4 change shows nothing to those who may not see it.
            accessDenied = await Access.CheckAsync((await AuthenticationState).User, Id) == ChangeAccessResult.Denied;
            if (accessDenied)
            {
                model = null;
                loadError = null;
                return;
            }

            model = await Query.LoadAsync(Id, RevisionNumber, SinceRevision);
            loadError = model is null ? $"Change {Id} does not exist. It may have been removed, or the link is wrong." : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading change {ChangeId} failed.", Id);
            loadError = "This change could not be loaded. Try again in a moment.";
        }
    }
}

using Microsoft.AspNetCore.Components;
using Radzen;
using Radzen.Blazor;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Features.Queue;

public partial class QueuePage
{
    private const int PageSize = 10;

    private RadzenDataGrid<QueueRow>? grid;

    // Null until the first load: Radzen only calls LoadData while Data is null at start.
    private IEnumerable<QueueRow>? rows;
    private int? total;
    private bool loading;
    private string? loadError;


    [Inject]
    private QueueQuery Query { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private ILogger<QueuePage> Logger { get; set; } = default!;

    private async Task LoadAsync(LoadDataArgs args)
    {
        loading = true;
        loadError = null;
        try
        {
            var sort = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null);
            var column = Enum.TryParse<QueueSortColumn>(sort?.Property, out var parsed) ? parsed : QueueSortColumn.Default;
            var (page, count) = await Query.LoadAsync(args.Skip ?? 0, args.Top ?? PageSize, column, sort?.SortOrder == SortOrder.Descending);
            rows = page;
            total = count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Loading the queue failed.");
            loadError = "The queue could not be loaded. Try again in a moment.";
            rows ??= [];
        }
        finally
        {
            loading = false;
        }
    }

    // Any change can enter, leave or move within the page shown; stored diffs do not show here.
    protected override bool IsRelevant(ChangeNotification notification) => notification.Activity != ChangeActivity.DiffsReady;

    protected override Task ReloadForNotificationAsync() => grid?.Reload() ?? Task.CompletedTask;

    private string Age(DateTimeOffset submittedAt)
    {
        var age = Clock.GetUtcNow() - submittedAt;
        return age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours} h"
            : $"{(int)age.TotalDays} d";
    }
}

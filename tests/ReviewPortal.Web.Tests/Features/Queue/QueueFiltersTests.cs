using Bunit;
using Microsoft.AspNetCore.Components;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Queue;

namespace ReviewPortal.Web.Tests.Features.Queue;

[Trait("Category", "Component")]
public sealed class QueueFiltersTests : ComponentTest
{
    private NavigationManager Navigation => Services.GetService(typeof(NavigationManager)) as NavigationManager ?? throw new InvalidOperationException();

    private IRenderedComponent<QueueFilters> RenderFilters(QueueFilter filter, IReadOnlyDictionary<string, string[]>? addressErrors = null, Action? onReapply = null) =>
        Render<QueueFilters>(p =>
        {
            p.Add(f => f.View, filter.View).Add(f => f.Filter, filter).Add(f => f.BasePath, "/queue/all").Add(f => f.OnReapply, () => onReapply?.Invoke());
            if (addressErrors is not null)
            {
                p.Add(f => f.AddressErrors, addressErrors);
            }
        });

    [Fact]
    public void Apply_navigates_to_the_address_that_holds_the_new_filters()
    {
        var filters = RenderFilters(new QueueFilter { View = QueueView.All, Page = 3 });

        filters.Find("#filter-q").Input("money");
        filters.FindAll("label").First(l => l.TextContent.Contains("Untraced only", StringComparison.Ordinal)).QuerySelector("input[type=checkbox]")!.Change(true);
        filters.Find("form").Submit();

        // A new filter starts at the first page.
        Assert.Equal("http://localhost/queue/all?q=money&untraced=true", Navigation.Uri);
    }

    [Fact]
    public void The_fields_show_the_filter_of_the_address()
    {
        var filters = RenderFilters(new QueueFilter { View = QueueView.All, Search = "oauth", OlderThanHours = 12 });

        Assert.Equal("oauth", filters.Find("#filter-q").GetAttribute("value"));
        Assert.Equal("12", filters.Find("#filter-older").GetAttribute("value"));
        Assert.NotNull(filters.Find("[data-testid=clear-filters]"));
    }

    [Fact]
    public void Applying_the_filter_already_in_the_address_reloads_instead_of_navigating()
    {
        var reapplied = 0;
        var filters = RenderFilters(new QueueFilter { View = QueueView.All, Search = "money" }, onReapply: () => reapplied++);
        var before = Navigation.Uri;

        filters.Find("form").Submit();

        Assert.Equal(1, reapplied);
        Assert.Equal(before, Navigation.Uri);
    }

    [Fact]
    public void A_bad_value_is_named_next_to_its_field_and_nothing_is_navigated()
    {
        var filters = RenderFilters(new QueueFilter { View = QueueView.All });
        var before = Navigation.Uri;

        filters.Find("#filter-older").Input("0");
        filters.Find("form").Submit();

        Assert.Equal(before, Navigation.Uri);
        Assert.Contains("olderThanHours must be a whole number from 1 to 8760.", filters.Find("[data-testid=filter-errors]").TextContent, StringComparison.Ordinal);
        Assert.Contains("olderThanHours must be a whole number from 1 to 8760.", filters.Find(".mud-input-helper-text").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_the_address_got_wrong_are_shown()
    {
        var parsed = QueueQueryString.Parse(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(StringComparer.Ordinal) { ["tier"] = "9", ["sort"] = "colour" }, QueueView.All);

        var filters = RenderFilters(parsed.Filter, parsed.Errors);

        var errors = filters.Find("[data-testid=filter-errors]");
        Assert.Equal("alert", errors.GetAttribute("role"));
        Assert.Contains("tier must be a whole number from 1 to 4.", errors.TextContent, StringComparison.Ordinal);
        Assert.Contains("sort must be one of", errors.TextContent, StringComparison.Ordinal);
    }
}

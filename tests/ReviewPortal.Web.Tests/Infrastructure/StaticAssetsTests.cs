using System.Net;

namespace ReviewPortal.Web.Tests.Infrastructure;

public sealed class StaticAssetsTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Blazor_script_from_the_sdk_static_web_assets_is_served()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/_framework/blazor.web.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.True(script.Length > 100_000, $"blazor.web.js is only {script.Length} characters");
        Assert.Contains("Blazor", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/css/site.css", "text/css")]
    [InlineData("/Components/Layout/ReconnectModal.razor.js", "text/javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    public async Task Web_root_and_library_assets_are_served(string path, string mediaType)
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Pages_need_a_signed_in_user()
    {
        using var client = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoint_reports_the_database()
    {
        using var client = fixture.Factory.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/health"));
    }
}

using System.Net;

namespace ReviewPortal.Web.Tests.Features.Shared;

public sealed class NotFoundPageTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task An_unknown_address_answers_404_with_the_portals_not_found_page()
    {
        using var client = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/no-such-page/anywhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"not-found\"", html, StringComparison.Ordinal);
        Assert.Contains("There is nothing at this address", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_address_keeps_its_problem_json()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/api/no-such-endpoint");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

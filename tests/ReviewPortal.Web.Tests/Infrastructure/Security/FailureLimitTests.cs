using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using ReviewPortal.Testing;
using ReviewPortal.Web.Features.Ingest;

namespace ReviewPortal.Web.Tests.Infrastructure.Security;

/// <summary>Failed sign-ins and bad API keys, limited to three per address (TestServer: every request comes from one).</summary>
public sealed class FailureLimitTests : IAsyncLifetime
{
    private const int Limit = 3;

    private PortalFactory _factory = default!;

    public async Task InitializeAsync()
    {
        _factory = await PortalFactory.CreateAsync("failurelimits", settings: HardeningSettingsFor.BreakGlass()
            .With("SignInFailures:PermitLimit", $"{Limit}").With("SignInFailures:Window", "00:10:00")
            .With("ApiKeyFailures:PermitLimit", $"{Limit}").With("ApiKeyFailures:Window", "00:10:00"));
        _ = _factory.Services;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task After_the_failed_sign_ins_allowed_even_the_right_password_gets_429_with_retry_after()
    {
        using var client = _factory.CreateClient();
        for (var i = 0; i < Limit; i++)
        {
            using var failed = await FormSignIn.PostAsync(client, HardeningSettingsFor.BreakGlassUser, $"wrong-{i}");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains("Wrong email or password.", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var throttled = await FormSignIn.PostAsync(client, HardeningSettingsFor.BreakGlassUser, HardeningSettingsFor.BreakGlassPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        AssertRetryAfter(throttled);
        Assert.Contains("Too many failed sign-ins from your address.", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await FormSignIn.IsSignedInAsync(client));
    }

    [Fact]
    public async Task After_the_bad_api_keys_allowed_every_key_gets_429_problem_json_with_retry_after()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < Limit; i++)
        {
            using var rejected = await SubmitAsync(client, $"wrong-key-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }

        // The submit endpoint and the read endpoint count against, and refuse, the same address.
        foreach (var throttled in new[] { await SubmitAsync(client, PortalFactory.ApiKey), await ListAsync(client, PortalFactory.ApiKey) })
        {
            using (throttled)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
                Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
                AssertRetryAfter(throttled);
                using var problem = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync());
                Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Contains("API key", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Successful_api_calls_use_up_nothing()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var i = 0; i < Limit * 3; i++)
        {
            using var listed = await ListAsync(client, PortalFactory.ApiKey);
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/changes") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add(ApiKeyEndpointFilter.HeaderName, key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> ListAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/changes");
        request.Headers.Add(ApiKeyEndpointFilter.HeaderName, key);
        return await client.SendAsync(request);
    }
}

using System.Net.Http.Json;
using System.Text.Json;

namespace ReviewPortal.Testing;

/// <summary>The submission API as an agent calls it: clients carrying the test API key, and POST /api/changes answering the new change's id.</summary>
public static class AgentApi
{
    /// <summary>An in-memory client of <paramref name="portal"/> that sends the test API key.</summary>
    public static HttpClient CreateAgentClient(this PortalFactory portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", PortalFactory.ApiKey);
        return client;
    }

    /// <summary>A network client of the portal listening at <paramref name="baseAddress"/> that sends the test API key.</summary>
    public static HttpClient Client(Uri baseAddress, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Add("X-Api-Key", PortalFactory.ApiKey);
        return client;
    }

    /// <summary>Submits <paramref name="body"/> and returns the change's id; any answer but 2xx throws with the problem it gave.</summary>
    public static async Task<long> SubmitChangeAsync(this HttpClient client, object body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostAsJsonAsync("/api/changes", body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/changes answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetInt64();
    }
}

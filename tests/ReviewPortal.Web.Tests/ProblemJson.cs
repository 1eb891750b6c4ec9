using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReviewPortal.Web.Tests;

/// <summary>Every API error is an RFC 9457 problem document; tests read it through here so the media type is always checked.</summary>
internal static class ProblemJson
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

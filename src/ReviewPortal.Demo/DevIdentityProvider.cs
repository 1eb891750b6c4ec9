using System.Diagnostics;
using System.Text.Json;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Web.Features.Account.SingleSignOn;
using ReviewPortal.Web.Infrastructure.LocalPostgres;

namespace ReviewPortal.Demo;

/// <summary>A relying party registered at the development identity provider.</summary>
public sealed record DevClient(string ClientId, string ClientSecret, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> PostLogoutRedirectUris);

/// <summary>
/// The development OpenID Provider (oidc-provider, src/ReviewPortal.DevIdentityProvider) as a child process on
/// 127.0.0.1, for the demo and the tests; never for production. Its packages are installed by this project's build.
/// It stops with this object.
/// </summary>
public sealed class DevIdentityProvider : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Process _process;
    private readonly string _folder;

    private DevIdentityProvider(Process process, Uri issuer, string folder)
    {
        _process = process;
        Issuer = issuer;
        _folder = folder;
    }

    public Uri Issuer { get; }

    public static string ProjectDirectory =>
        Path.Combine(LocalPostgresExtensions.FindRepositoryRoot(AppContext.BaseDirectory), "src", "ReviewPortal.DevIdentityProvider");

    /// <summary>The demo's people and their groups (the README lists them); every one signs in with the demo password.</summary>
    public static string DemoPeopleFile => Path.Combine(ProjectDirectory, "people.demo.json");

    /// <summary>The portal's provider name for the development provider: its callback is <c>/signin-oidc-dev</c>.</summary>
    public const string ProviderName = "dev";

    public const string ClientId = "reviewportal";

    public const string ClientSecret = "dev-portal-secret-change-me";

    /// <summary>The portal at <paramref name="portal"/> as a client of the development provider.</summary>
    public static DevClient ClientFor(Uri portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        return new DevClient(ClientId, ClientSecret, [new Uri(portal, $"/signin-oidc-{ProviderName}").ToString()],
            [new Uri(portal, $"/signout-callback-oidc-{ProviderName}").ToString()]);
    }

    /// <summary>The portal's settings for this provider: the client, and the demo groups mapped to the portal's roles.</summary>
    public IReadOnlyDictionary<string, string?> PortalSettings()
    {
        const string provider = $"{SingleSignOnSettings.Section}:Providers:0";
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"{provider}:Name"] = ProviderName,
            [$"{provider}:DisplayName"] = "ReviewPortal development SSO",
            [$"{provider}:Authority"] = Issuer.ToString().TrimEnd('/'),
            [$"{provider}:ClientId"] = ClientId,
            [$"{provider}:ClientSecret"] = ClientSecret,
            [$"{provider}:RoleMapping:reviewers"] = PortalRoles.Reviewer,
            [$"{provider}:RoleMapping:legal"] = PortalRoles.Reviewer,
            [$"{provider}:RoleMapping:security-reviewers"] = PortalRoles.SecurityReviewer,
            [$"{provider}:RoleMapping:managers"] = PortalRoles.Manager,
            [$"{provider}:RoleMapping:portal-admins"] = PortalRoles.Admin,
        };
    }

    /// <summary>
    /// Starts the provider with the people in <paramref name="peopleFile"/> and these clients on <paramref name="port"/>
    /// (0: a free one) and returns once it answers. <paramref name="allowControl"/> opens the endpoints that change a
    /// person's groups or remove them while it runs (tests only).
    /// </summary>
    public static async Task<DevIdentityProvider> StartAsync(string peopleFile, IReadOnlyList<DevClient> clients, bool allowControl,
        int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clients);
        if (!File.Exists(Path.Combine(ProjectDirectory, "node_modules", "oidc-provider", "package.json")))
        {
            throw new InvalidOperationException($"The development identity provider's packages are not installed: build the solution (it runs npm ci in {ProjectDirectory}).");
        }

        var folder = Directory.CreateTempSubdirectory("reviewportal-idp-").FullName;
        var clientsFile = Path.Combine(folder, "clients.json");
        await File.WriteAllTextAsync(clientsFile, JsonSerializer.Serialize(clients, Json), cancellationToken);

        var start = new ProcessStartInfo("node") { WorkingDirectory = ProjectDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "server.mjs", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--people", peopleFile, "--clients", clientsFile })
        {
            start.ArgumentList.Add(argument);
        }

        if (allowControl)
        {
            start.ArgumentList.Add("--allow-control");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }
            }
        };
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (!line.StartsWith('{'))
                {
                    continue;
                }

                using var ready = JsonDocument.Parse(line);
                if (ready.RootElement.TryGetProperty("ready", out var flag) && flag.GetBoolean())
                {
                    var provider = new DevIdentityProvider(process, new Uri(ready.RootElement.GetProperty("issuer").GetString()!), folder);
                    _ = DrainAsync(process);
                    return provider;
                }
            }
        }
        catch (OperationCanceledException waited) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The development identity provider did not get ready within a minute:\n{errors}", waited);
        }

        await process.WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException($"The development identity provider stopped (exit code {process.ExitCode}):\n{errors}");
    }

    // Its stdout is read to the end so that it never blocks on a full pipe.
    private static async Task DrainAsync(Process process)
    {
        while (await process.StandardOutput.ReadLineAsync() is not null)
        {
        }
    }

    /// <summary>Replaces the groups of person <paramref name="subject"/> at the provider (started with allowControl only).</summary>
    public Task SetGroupsAsync(string subject, IReadOnlyList<string> groups, CancellationToken cancellationToken = default) =>
        ControlAsync(HttpMethod.Put, $"/_control/people/{Uri.EscapeDataString(subject)}/groups", JsonSerializer.Serialize(groups), cancellationToken);

    /// <summary>Removes person <paramref name="subject"/> from the provider and ends their sign-in there (allowControl only).</summary>
    public Task RemovePersonAsync(string subject, CancellationToken cancellationToken = default) =>
        ControlAsync(HttpMethod.Delete, $"/_control/people/{Uri.EscapeDataString(subject)}", null, cancellationToken);

    private async Task ControlAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(Issuer, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The development provider refused {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

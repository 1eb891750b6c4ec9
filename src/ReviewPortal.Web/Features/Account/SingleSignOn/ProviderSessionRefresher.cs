using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Account.SingleSignOn;

/// <summary>
/// Re-reads each live single sign-on session from its provider every <see cref="SingleSignOnSettings.RefreshInterval"/>:
/// the refresh token buys a new access token, userinfo gives the person's groups now, and their roles and quorum
/// groups follow (open pages then follow through the revalidating state provider). A provider that refuses the
/// refresh token (<c>invalid_grant</c>: the person was removed, disabled or signed out there) or answers for another
/// subject no longer vouches for the person: all their sessions end and they are signed out everywhere. Any other
/// failure (the provider is down) is logged and tried again next interval: an outage signs nobody out.
/// </summary>
public sealed class ProviderSessionRefresher(
    ProviderSessions sessions,
    IServiceScopeFactory scopes,
    IServiceProvider services,
    IOptionsMonitor<SingleSignOnSettings> settings,
    SecurityEventLog events,
    TimeProvider clock,
    ILogger<ProviderSessionRefresher> logger) : BackgroundService
{
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = settings.CurrentValue.RefreshInterval;
            try
            {
                while (await RefreshDueAsync(stoppingToken) == BatchSize)
                {
                    // A full batch: more are due now.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Re-reading single sign-on sessions failed; trying again shortly.");
            }

            try
            {
                // Often enough that a session is re-read close to its interval, never busier than every second.
                await Task.Delay(TimeSpan.FromTicks(Math.Clamp(interval.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute)), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Re-reads every session due now (one batch); returns how many it took.</summary>
    public async Task<int> RefreshDueAsync(CancellationToken cancellationToken = default)
    {
        var interval = settings.CurrentValue.RefreshInterval;
        var due = await sessions.ClaimDueAsync(BatchSize, interval, cancellationToken);
        foreach (var session in due)
        {
            await RefreshAsync(session, interval, cancellationToken);
        }

        return due.Count;
    }

    private async Task RefreshAsync(ProviderSession session, TimeSpan interval, CancellationToken cancellationToken)
    {
        var provider = settings.CurrentValue.Providers.FirstOrDefault(p => p.SchemeName == session.Scheme);
        if (provider is null)
        {
            await EndAllAsync(session, "its identity provider is no longer configured", cancellationToken);
            return;
        }

        try
        {
            var answer = await AskProviderAsync(session, provider, cancellationToken);
            if (answer.Refusal is { } refusal)
            {
                await EndAllAsync(session, refusal, cancellationToken);
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            if (await users.FindByIdAsync(session.UserId) is not { } user)
            {
                await sessions.EndAsync(session.Id, "the account was removed", cancellationToken);
                return;
            }

            var changed = await scope.ServiceProvider.GetRequiredService<SingleSignOnAccounts>().ApplyProviderGroupsAsync(user, answer.Groups, provider);
            if (changed is { Length: > 0 })
            {
                await events.RecordAsync(SecurityEventKind.RolesChanged, user.DisplayName, user.Id, $"From {provider.DisplayName}'s groups: {changed}.", null, cancellationToken);
            }

            await sessions.CheckedAsync(session.Id, answer.RotatedRefreshToken, interval, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The lease already moved the session on by one interval: it is asked again then.
            logger.LogWarning(ex, "{Provider} could not be asked about session {Session}; trying again in {Interval}.", provider.Name, session.Id, interval);
        }
    }

    private sealed record ProviderAnswer(IReadOnlyCollection<string> Groups, string? RotatedRefreshToken, string? Refusal);

    private async Task<ProviderAnswer> AskProviderAsync(ProviderSession session, OidcProviderSettings provider, CancellationToken cancellationToken)
    {
        // Read when first needed: building the handlers' options at start would get ahead of the settings' validation.
        var handler = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(session.Scheme);
        var configuration = await handler.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = sessions.RefreshTokenOf(session),
            ["client_id"] = provider.ClientId,
        };
        if (!string.IsNullOrEmpty(provider.ClientSecret))
        {
            form["client_secret"] = provider.ClientSecret;
        }

        using var tokenResponse = await handler.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(form), cancellationToken);
        using var tokens = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(cancellationToken));
        if (tokenResponse.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized
            && tokens.RootElement.TryGetProperty("error", out var error) && error.GetString() == "invalid_grant")
        {
            return new([], null, $"{provider.DisplayName} no longer accepts the session (invalid_grant)");
        }

        tokenResponse.EnsureSuccessStatusCode();
        var accessToken = tokens.RootElement.GetProperty("access_token").GetString();
        var rotated = tokens.RootElement.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null;

        using var request = new HttpRequestMessage(HttpMethod.Get, configuration.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var userInfoResponse = await handler.Backchannel.SendAsync(request, cancellationToken);
        userInfoResponse.EnsureSuccessStatusCode();
        using var userInfo = JsonDocument.Parse(await userInfoResponse.Content.ReadAsStringAsync(cancellationToken));
        if (!userInfo.RootElement.TryGetProperty("sub", out var subject) || subject.GetString() != session.Subject)
        {
            return new([], rotated, $"{provider.DisplayName} answered for another subject");
        }

        return new(GroupsIn(userInfo.RootElement, provider.GroupsClaim), rotated, null);
    }

    private static List<string> GroupsIn(JsonElement userInfo, string claim) =>
        !userInfo.TryGetProperty(claim, out var groups) ? []
        : groups.ValueKind == JsonValueKind.Array ? [.. groups.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.String).Select(g => g.GetString()!)]
        : groups.ValueKind == JsonValueKind.String ? [groups.GetString()!]
        : [];

    private async Task EndAllAsync(ProviderSession session, string reason, CancellationToken cancellationToken)
    {
        await sessions.EndAllAsync(session.UserId, reason, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByIdAsync(session.UserId) is { } user)
        {
            // A new security stamp: the cookie and every open page of the person sign out at their next check.
            await users.UpdateSecurityStampAsync(user);
            await events.RecordAsync(SecurityEventKind.SessionsEnded, user.DisplayName, user.Id, $"Signed out everywhere: {reason}.", null, cancellationToken);
        }

        logger.LogWarning("The sessions of account {UserId} ended: {Reason}.", session.UserId, reason);
    }
}

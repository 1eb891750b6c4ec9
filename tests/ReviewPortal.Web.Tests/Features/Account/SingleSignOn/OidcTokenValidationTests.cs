using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ReviewPortal.Domain.Decisions;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Features.Account.SingleSignOn;

namespace ReviewPortal.Web.Tests.Features.Account.SingleSignOn;

/// <summary>The portal with one provider: the fake OpenID Provider on 127.0.0.1, whose tokens the tests craft.</summary>
public sealed class FakeProviderPortalFixture : IAsyncLifetime
{
    public const string ProviderName = "fake";
    public const string ReviewersGroup = "reviewers";

    public FakeOpenIdProvider Provider { get; private set; } = default!;

    public PortalFactory Portal { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Provider = await FakeOpenIdProvider.StartAsync();
        Portal = await PortalFactory.CreateAsync("oidcvalidation", settings: Provider.PortalSettings(ProviderName,
            new Dictionary<string, string>(StringComparer.Ordinal) { [ReviewersGroup] = PortalRoles.Reviewer }));
        _ = Portal.Services;
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Provider.DisposeAsync();
    }

    /// <summary>What an honest provider would answer to <paramref name="request"/>, for a new person.</summary>
    public FakeIdToken HonestToken(OidcAuthorizationRequest request) =>
        new() { Subject = $"sub-{Guid.NewGuid():N}", Nonce = request.Nonce, Groups = [ReviewersGroup] };

    /// <summary>Signs in through the whole code flow with the id_token <paramref name="token"/> and returns where the browser landed.</summary>
    public async Task<string> SignInAsync(OidcBrowser browser, Func<OidcAuthorizationRequest, FakeIdToken> token)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(token);
        var request = await browser.StartAsync(ProviderName);
        return await browser.CallbackAsync(ProviderName, Provider.IssueCode(Provider.IdToken(token(request))), request.State);
    }

    public async Task<PortalUser?> AccountOfAsync(string subject)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByLoginAsync(Provider.Issuer, subject);
    }
}

/// <summary>
/// The id_token checks of the portal's OpenID Connect sign-in, against a provider the test controls: an honest token
/// signs in (so that the refusals below are refusals of the token, not of everything), and every forged, stale,
/// misaddressed or replayed one ends on the sign-in page's error without a portal session or an account.
/// </summary>
[Trait("Category", "OidcValidation")]
public sealed class OidcTokenValidationTests(FakeProviderPortalFixture fixture) : IClassFixture<FakeProviderPortalFixture>
{
    private const string FailedPage = $"/Account/Login?error={ExternalSignInError.Failed}";

    private FakeOpenIdProvider Provider => fixture.Provider;

    [Fact]
    public async Task An_honest_token_signs_in_with_the_groups_role_and_the_code_is_redeemed_with_the_pkce_verifier()
    {
        using var browser = OidcBrowser.For(fixture.Portal);
        var request = await browser.StartAsync(FakeProviderPortalFixture.ProviderName, returnUrl: "/queue/mine");
        var token = fixture.HonestToken(request);

        var landed = await browser.CallbackAsync(FakeProviderPortalFixture.ProviderName, Provider.IssueCode(Provider.IdToken(token)), request.State);

        Assert.Equal("/queue/mine", landed);
        Assert.True(browser.HasPortalSignIn);
        var account = await fixture.AccountOfAsync(token.Subject);
        Assert.NotNull(account);
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        Assert.Equal([PortalRoles.Reviewer], await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().GetRolesAsync(account));
        var redeemed = Provider.TokenRequests.Last();
        Assert.Equal("openid profile email groups offline_access", request.Parameters["scope"]);
        Assert.Equal("S256", request.Parameters["code_challenge_method"]);
        Assert.Equal(request.CodeChallenge, FakeOpenIdProvider.CodeChallengeOf(redeemed["code_verifier"]));
    }

    public static TheoryData<string> Refused => new()
    {
        "signed with a key the provider does not publish, under the published key's id",
        "signed with an unknown key",
        "expired",
        "for another client",
        "from another issuer",
        "unsigned (alg none)",
        "without a nonce",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_that_is_not_the_providers_answer_to_this_sign_in_is_refused(string token)
    {
        using var browser = OidcBrowser.For(fixture.Portal);
        string? subject = null;

        var landed = await fixture.SignInAsync(browser, request =>
        {
            var honest = fixture.HonestToken(request);
            subject = honest.Subject;
            var now = DateTimeOffset.UtcNow;
            return token switch
            {
                "signed with a key the provider does not publish, under the published key's id" => honest with { SigningKey = FakeOpenIdProvider.NewSigningKey(Provider.SigningKey.KeyId) },
                "signed with an unknown key" => honest with { SigningKey = FakeOpenIdProvider.NewSigningKey() },
                // Past the handler's five minutes of clock skew.
                "expired" => honest with { IssuedAt = now.AddHours(-2), Expires = now.AddMinutes(-10) },
                "for another client" => honest with { Audience = "another-client" },
                "from another issuer" => honest with { Issuer = "https://login.attacker.test" },
                "unsigned (alg none)" => honest with { Unsigned = true },
                "without a nonce" => honest with { Nonce = null },
                _ => throw new ArgumentOutOfRangeException(nameof(token), token, null),
            };
        });

        await AssertRefusedAsync(browser, landed, subject);
    }

    [Fact]
    public async Task An_id_token_of_an_earlier_sign_in_replayed_into_a_new_one_is_refused()
    {
        using var browser = OidcBrowser.For(fixture.Portal);
        var earlier = await browser.StartAsync(FakeProviderPortalFixture.ProviderName);
        var earlierToken = Provider.IdToken(fixture.HonestToken(earlier));
        Assert.Equal("/", await browser.CallbackAsync(FakeProviderPortalFixture.ProviderName, Provider.IssueCode(earlierToken), earlier.State));
        await FormSignIn.SignOutAsync(browser.Client);
        var current = await browser.StartAsync(FakeProviderPortalFixture.ProviderName);

        // The new sign-in (its state, its cookies) answered with the earlier id_token: its nonce was used up.
        var landed = await browser.CallbackAsync(FakeProviderPortalFixture.ProviderName, Provider.IssueCode(earlierToken), current.State);

        Assert.NotEqual(earlier.Nonce, current.Nonce);
        Assert.Equal(FailedPage, landed);
        Assert.False(browser.HasPortalSignIn);
    }

    [Fact]
    public async Task A_completed_callback_replayed_with_its_state_and_nonce_is_refused()
    {
        using var browser = OidcBrowser.For(fixture.Portal);
        var request = await browser.StartAsync(FakeProviderPortalFixture.ProviderName);
        var first = fixture.HonestToken(request);
        Assert.Equal("/", await browser.CallbackAsync(FakeProviderPortalFixture.ProviderName, Provider.IssueCode(Provider.IdToken(first)), request.State));
        await FormSignIn.SignOutAsync(browser.Client);
        Assert.False(browser.HasPortalSignIn);

        // The same state and nonce again, even with a fresh code from the provider: the first callback used up the
        // correlation and nonce cookies.
        var again = first with { Subject = $"sub-{Guid.NewGuid():N}" };
        var landed = await browser.CallbackAsync(FakeProviderPortalFixture.ProviderName, Provider.IssueCode(Provider.IdToken(again)), request.State);

        await AssertRefusedAsync(browser, landed, again.Subject);
    }

    [Fact]
    public async Task A_state_the_portal_issued_to_another_browser_is_refused()
    {
        using var victim = OidcBrowser.For(fixture.Portal);
        using var attacker = OidcBrowser.For(fixture.Portal);
        var attackersRequest = await attacker.StartAsync(FakeProviderPortalFixture.ProviderName);
        var victimsRequest = await victim.StartAsync(FakeProviderPortalFixture.ProviderName);
        var token = fixture.HonestToken(attackersRequest);

        // Login CSRF: the attacker's own callback, planted in the victim's browser, which holds other correlation cookies.
        var landed = await victim.CallbackAsync(FakeProviderPortalFixture.ProviderName, Provider.IssueCode(Provider.IdToken(token)), attackersRequest.State);

        Assert.NotEqual(victimsRequest.State, attackersRequest.State);
        await AssertRefusedAsync(victim, landed, token.Subject);
    }

    [Fact]
    public async Task A_state_the_portal_did_not_issue_is_refused()
    {
        using var browser = OidcBrowser.For(fixture.Portal);
        var request = await browser.StartAsync(FakeProviderPortalFixture.ProviderName);
        var token = fixture.HonestToken(request);

        var landed = await browser.CallbackAsync(FakeProviderPortalFixture.ProviderName, Provider.IssueCode(Provider.IdToken(token)), request.State[..^4] + "AAAA");

        await AssertRefusedAsync(browser, landed, token.Subject);
    }

    private async Task AssertRefusedAsync(OidcBrowser browser, string landed, string? subject)
    {
        Assert.Equal(FailedPage, landed);
        Assert.False(browser.HasPortalSignIn);
        Assert.Null(await fixture.AccountOfAsync(subject!));
        var page = await browser.Client.GetStringAsync(landed);
        Assert.Contains("The sign-in through the identity provider did not complete.", page, StringComparison.Ordinal);
    }
}

using ReviewPortal.Testing;

namespace ReviewPortal.Web.Tests.Features.Account.SingleSignOn;

/// <summary>
/// A provider that rolls its signing key over: the portal must read the new key set when a token names a key it has
/// not seen, not keep the cached one until its scheduled refresh (12 hours). Its own provider and portal, because the
/// rotation changes what every other sign-in would meet.
/// </summary>
[Trait("Category", "OidcValidation")]
public sealed class OidcSigningKeyRotationTests(FakeProviderPortalFixture fixture) : IClassFixture<FakeProviderPortalFixture>
{
    [Fact]
    public async Task After_the_provider_rotates_its_key_a_token_signed_with_the_new_key_signs_in()
    {
        using (var before = OidcBrowser.For(fixture.Portal))
        {
            Assert.Equal("/", await fixture.SignInAsync(before, fixture.HonestToken));
        }

        var retired = fixture.Provider.SigningKey.KeyId;
        var readsBefore = fixture.Provider.KeySetReads;
        Assert.NotEqual(retired, fixture.Provider.RotateSigningKey().KeyId);

        // The handler re-reads the key set when a token names an unknown key, in the background: the sign-in that
        // met the new key first may still fail, the next ones pass.
        using var signedIn = await Eventually.FoundAsync(async () =>
        {
            var browser = OidcBrowser.For(fixture.Portal);
            if (await fixture.SignInAsync(browser, fixture.HonestToken) == "/")
            {
                return browser;
            }

            browser.Dispose();
            return null;
        }, "a sign-in with a token under the new key", TimeSpan.FromSeconds(15));

        Assert.True(signedIn.HasPortalSignIn);

        Assert.True(fixture.Provider.KeySetReads > readsBefore);
    }
}

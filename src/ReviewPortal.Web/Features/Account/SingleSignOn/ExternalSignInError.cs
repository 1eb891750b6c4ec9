namespace ReviewPortal.Web.Features.Account.SingleSignOn;

/// <summary>Why a sign-in through a provider did not complete: the sign-in page's <c>error</c> query value, which it words for people.</summary>
public static class ExternalSignInError
{
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string UnknownProvider = "unknown-provider";
}

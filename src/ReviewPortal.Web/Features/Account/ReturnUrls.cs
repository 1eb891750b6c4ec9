namespace ReviewPortal.Web.Features.Account;

/// <summary>Where a sign-in may send the browser afterwards.</summary>
public static class ReturnUrls
{
    // Only same-site paths: an open redirect after sign-in would hand a phishing page a trusted start.
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    public static string LocalOrRoot(string? url) => IsLocal(url) ? url! : "/";
}

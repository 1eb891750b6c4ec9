using System.Globalization;

namespace ReviewPortal.Web.Features.Review;

/// <summary>Links into the review page, built in one place so its query parameters (<c>revision</c>, <c>since</c>) stay in step.</summary>
public static class ReviewLinks
{
    /// <summary>A revision of the change as a whole.</summary>
    public static string Revision(long changeId, int revision) =>
        string.Create(CultureInfo.InvariantCulture, $"/changes/{changeId}?revision={revision}");

    /// <summary>What changed from revision <paramref name="since"/> to <paramref name="revision"/> (the interdiff).</summary>
    public static string ChangesSince(long changeId, int revision, int since) =>
        string.Create(CultureInfo.InvariantCulture, $"/changes/{changeId}?revision={revision}&since={since}");
}

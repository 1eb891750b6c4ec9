namespace ReviewPortal.Web.Features.Review;

/// <summary>A file's contents or diff cannot be shown; the message says why, in words for the reader.</summary>
public sealed class ReviewFileUnavailableException : Exception
{
    public ReviewFileUnavailableException()
    {
    }

    public ReviewFileUnavailableException(string message)
        : base(message)
    {
    }

    public ReviewFileUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

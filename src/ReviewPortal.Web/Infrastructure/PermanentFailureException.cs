namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// Work that fails the same way however often it is tried: input of the wrong shape, or an answer such as an SCM's
/// 404. Raised where that is known, so that background work (the webhook inbox) stops at once with the reason instead
/// of retrying; everything else counts as transient.
/// </summary>
public class PermanentFailureException : Exception
{
    public PermanentFailureException()
    {
    }

    public PermanentFailureException(string message)
        : base(message)
    {
    }

    public PermanentFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

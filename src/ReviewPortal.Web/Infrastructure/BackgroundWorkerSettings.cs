namespace ReviewPortal.Web.Infrastructure;

/// <summary>
/// <c>Webhooks:Worker</c> and <c>Diffs:Worker</c>: whether this instance runs that background worker. An instance can
/// take webhook deliveries or serve pages while other instances do the processing.
/// </summary>
public sealed class BackgroundWorkerSettings
{
    public bool Enabled { get; set; } = true;
}

using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

/// <summary>
/// The active risk rule set, read from the database at start-up, after an upload, and every 30 seconds (so every
/// portal instance converges on a rule set activated elsewhere). Scoring reads <see cref="Current"/> without I/O.
/// </summary>
public sealed class RiskRuleProvider(IDbContextFactory<PortalDbContext> dbFactory, ILogger<RiskRuleProvider> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);
    private volatile RiskRuleSet _current = RiskRuleSet.Default;

    public RiskRuleSet Current => _current;

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.RiskRuleSets.AsNoTracking().FirstOrDefaultAsync(r => r.IsActive, cancellationToken);
        if (active is null || active.Version == _current.Version)
        {
            return;
        }

        var parsed = RiskRuleSet.FromYaml(active.Yaml);
        if (parsed.RuleSet is null)
        {
            // Uploads are validated before they are stored, so this means the rules changed meaning under a new
            // portal version: keep scoring with what we have and say so loudly.
            logger.LogError("The active rule set {Version} no longer validates: {Errors}", active.Version, string.Join("; ", parsed.Errors));
            return;
        }

        _current = parsed.RuleSet;
        logger.LogInformation("Risk rules {Version} are active.", parsed.RuleSet.Version);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Refreshing the risk rules failed; the current set stays active.");
            }
        }
    }
}

using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Risk;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Admin;

public sealed record RuleSetUploadResult(bool Activated, string? Version, IReadOnlyList<string> Errors);

/// <summary>Stores and activates rule set versions; a version takes effect only after it validates.</summary>
public sealed class RiskRuleAdministration(IDbContextFactory<PortalDbContext> dbFactory, RiskRuleProvider provider, TimeProvider clock, ILogger<RiskRuleAdministration> logger)
{
    /// <summary>Stores the default rules as the first version when there is none, and loads the active one.</summary>
    public async Task EnsureActiveAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.RiskRuleSets.AnyAsync(cancellationToken))
            {
                db.RiskRuleSets.Add(new RiskRuleSetVersion
                {
                    Version = RiskRuleSet.Default.Version,
                    Yaml = RiskRuleSet.DefaultYaml,
                    CreatedAt = clock.GetUtcNow(),
                    CreatedBy = "defaults",
                    IsActive = true,
                });
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        await provider.ReloadAsync(cancellationToken);
    }

    public async Task<RuleSetUploadResult> UploadAsync(string? yaml, string uploadedBy, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = new FieldErrors();
        errors.CheckText("yaml", "Rule set YAML", yaml, maxLength: null);
        var parsed = errors.Any ? null : RiskRuleSet.FromYaml(yaml);
        var ruleSet = parsed?.RuleSet;
        if (ruleSet is not null)
        {
            errors.CheckText("yaml", "The rule set's version", ruleSet.Version, db.Model.MaxLengthOf<RiskRuleSetVersion>(nameof(RiskRuleSetVersion.Version)));
        }

        if (ruleSet is null || errors.Any)
        {
            IReadOnlyList<string> refusals = [.. errors.ToDictionary().Values.SelectMany(m => m), .. parsed?.Errors.Select(e => e.ToString()) ?? []];
            logger.LogWarning("Rule set upload by {User} refused: {Errors}", uploadedBy, string.Join("; ", refusals));
            return new RuleSetUploadResult(false, null, refusals);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.RiskRuleSets.Where(r => r.IsActive).ExecuteUpdateAsync(set => set.SetProperty(r => r.IsActive, false), cancellationToken);
        var existing = await db.RiskRuleSets.FirstOrDefaultAsync(r => r.Version == ruleSet.Version, cancellationToken);
        if (existing is null)
        {
            db.RiskRuleSets.Add(new RiskRuleSetVersion { Version = ruleSet.Version, Yaml = yaml!, CreatedAt = clock.GetUtcNow(), CreatedBy = uploadedBy, IsActive = true });
        }
        else
        {
            existing.IsActive = true;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await provider.ReloadAsync(cancellationToken);
        logger.LogInformation("Rule set {Version} activated by {User}.", ruleSet.Version, uploadedBy);
        return new RuleSetUploadResult(true, ruleSet.Version, []);
    }

    public async Task<IReadOnlyList<RiskRuleSetVersion>> HistoryAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RiskRuleSets.AsNoTracking().OrderByDescending(r => r.CreatedAt).ToListAsync(cancellationToken);
    }
}

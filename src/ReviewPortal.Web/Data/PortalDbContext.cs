using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ReviewPortal.Web.Data;

public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Change> Changes => Set<Change>();
    public DbSet<ChangeFile> ChangeFiles => Set<ChangeFile>();
    public DbSet<RiskContributionRecord> RiskContributions => Set<RiskContributionRecord>();
    public DbSet<Decision> Decisions => Set<Decision>();
    public DbSet<ChangeRevision> Revisions => Set<ChangeRevision>();
    public DbSet<ChangeEvent> ChangeEvents => Set<ChangeEvent>();
    public DbSet<ScmRepository> Repositories => Set<ScmRepository>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<ApiClientGrant> ApiClientGrants => Set<ApiClientGrant>();
    public DbSet<ProviderSession> ProviderSessions => Set<ProviderSession>();
    public DbSet<RiskRuleSetVersion> RiskRuleSets => Set<RiskRuleSetVersion>();
    public DbSet<FileDiffRecord> FileDiffs => Set<FileDiffRecord>();
    public DbSet<FileViewMark> FileViewMarks => Set<FileViewMark>();
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }
}

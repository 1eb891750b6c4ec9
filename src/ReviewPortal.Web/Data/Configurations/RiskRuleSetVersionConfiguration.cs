using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class RiskRuleSetVersionConfiguration : IEntityTypeConfiguration<RiskRuleSetVersion>
{
    public void Configure(EntityTypeBuilder<RiskRuleSetVersion> builder)
    {
        builder.ToTable("risk_rule_sets");
        builder.Property(r => r.Version).HasMaxLength(64);
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.HasIndex(r => r.Version).IsUnique();
        // At most one active rule set, enforced by the database itself.
        builder.HasIndex(r => r.IsActive).IsUnique().HasFilter("\"IsActive\"");
    }
}

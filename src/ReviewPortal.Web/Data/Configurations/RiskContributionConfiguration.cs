using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class RiskContributionConfiguration : IEntityTypeConfiguration<RiskContributionRecord>
{
    public void Configure(EntityTypeBuilder<RiskContributionRecord> builder)
    {
        builder.ToTable("risk_contributions");
        builder.Property(r => r.RuleId).HasMaxLength(100);
        builder.Property(r => r.Description).HasMaxLength(500);
        builder.Property(r => r.Evidence)
            .HasColumnType("jsonb")
            .HasConversion(
                evidence => JsonSerializer.Serialize(evidence, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<RuleEvidence>>(json, JsonSerializerOptions.Web) ?? new List<RuleEvidence>(),
                new ValueComparer<List<RuleEvidence>>(
                    (a, b) => a!.SequenceEqual(b!),
                    list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
                    list => list.ToList()));
    }
}

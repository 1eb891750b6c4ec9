using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.ToTable("decisions");
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Reason).HasMaxLength(4000);
        builder.Property(d => d.ReviewerId).HasMaxLength(450);
        builder.Property(d => d.ReviewerName).HasMaxLength(256);
        builder.Property(d => d.ReviewerEmail).HasMaxLength(256);
        builder.Property(d => d.CommitSha).HasMaxLength(64);
        builder.Property(d => d.ResetReason).HasMaxLength(1000);
        builder.Property(d => d.PolicyRule).HasMaxLength(1000);
        builder.HasIndex(d => d.ChangeId);
    }
}

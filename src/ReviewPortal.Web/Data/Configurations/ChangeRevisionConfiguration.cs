using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ChangeRevisionConfiguration : IEntityTypeConfiguration<ChangeRevision>
{
    public void Configure(EntityTypeBuilder<ChangeRevision> builder)
    {
        builder.ToTable("change_revisions");
        builder.Property(r => r.HeadSha).HasMaxLength(64);
        builder.Property(r => r.BaseSha).HasMaxLength(64);
        builder.Property(r => r.RuleSetVersion).HasMaxLength(64);
        builder.HasIndex(r => new { r.ChangeId, r.Number }).IsUnique();
        builder.HasMany(r => r.Files).WithOne().HasForeignKey(f => f.RevisionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.RiskContributions).WithOne().HasForeignKey(c => c.RevisionId).OnDelete(DeleteBehavior.Cascade);
    }
}

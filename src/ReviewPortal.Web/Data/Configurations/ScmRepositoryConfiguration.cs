using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ScmRepositoryConfiguration : IEntityTypeConfiguration<ScmRepository>
{
    public void Configure(EntityTypeBuilder<ScmRepository> builder)
    {
        builder.ToTable("repositories");
        builder.Property(r => r.Provider).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Name).HasMaxLength(300);
        builder.Property(r => r.ProjectId).HasMaxLength(300);
        builder.Property(r => r.ApiBaseUrl).HasMaxLength(500);
        builder.Property(r => r.LocalPath).HasMaxLength(1000);
        builder.Property(r => r.DefaultBranch).HasMaxLength(200);
        builder.HasIndex(r => new { r.Provider, r.Name }).IsUnique();
    }
}

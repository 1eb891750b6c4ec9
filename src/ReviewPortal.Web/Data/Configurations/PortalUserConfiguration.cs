using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder)
    {
        builder.Property(u => u.DiffViewMode).HasConversion<string>().HasMaxLength(20).HasDefaultValue(DiffViewMode.SideBySide).HasSentinel(DiffViewMode.SideBySide);
        // Accounts from before provider groups were kept have none.
        builder.Property(u => u.ProviderGroups).HasDefaultValueSql("'{}'::text[]");
        builder.Property(u => u.RevokedRoles).HasDefaultValueSql("'{}'::text[]");
        builder.Property(u => u.ColourScheme).HasConversion<string>().HasMaxLength(20).HasDefaultValue(ColourScheme.System).HasSentinel(ColourScheme.System);
    }
}

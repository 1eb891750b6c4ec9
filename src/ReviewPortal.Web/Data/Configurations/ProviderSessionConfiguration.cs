using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ProviderSessionConfiguration : IEntityTypeConfiguration<ProviderSession>
{
    public void Configure(EntityTypeBuilder<ProviderSession> builder)
    {
        builder.ToTable("provider_sessions");
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.Property(s => s.Scheme).HasMaxLength(100);
        builder.Property(s => s.Subject).HasMaxLength(256);
        builder.Property(s => s.EndReason).HasMaxLength(500);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        // The worker's claim: open sessions by when they are due.
        builder.HasIndex(s => s.NextCheckAt).HasFilter("\"EndedAt\" IS NULL");
        builder.HasIndex(s => s.UserId);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.Provider).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.DeliveryId).HasMaxLength(200);
        builder.Property(d => d.EventType).HasMaxLength(100);
        builder.Property(d => d.LastError).HasMaxLength(4000);
        // The deduplication: a redelivery of the same id for the same repository is not stored twice.
        builder.HasIndex(d => new { d.RepositoryId, d.DeliveryId }).IsUnique();
        // The worker's claim query: pending deliveries due now, oldest first.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasOne<ScmRepository>().WithMany().HasForeignKey(d => d.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

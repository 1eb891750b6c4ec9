using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Domain.Provenance;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReviewPortal.Web.Data.Configurations;

internal sealed class ChangeConfiguration : IEntityTypeConfiguration<Change>
{
    public void Configure(EntityTypeBuilder<Change> builder)
    {
        builder.ToTable("changes");
        builder.Property(c => c.Title).HasMaxLength(300);
        builder.Property(c => c.Repository).HasMaxLength(200);
        builder.Property(c => c.Author).HasMaxLength(200);
        builder.Property(c => c.Prompter).HasMaxLength(200);
        builder.Property(c => c.AgentSessionId).HasMaxLength(200);
        builder.Property(c => c.ModelVersion).HasMaxLength(200);
        builder.Property(c => c.SubmittedBy).HasMaxLength(200);
        builder.Property(c => c.RuleSetVersion).HasMaxLength(64);
        builder.Property(c => c.DecidedBy).HasMaxLength(256);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Origin).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.ExternalUrl).HasMaxLength(1000);
        builder.Property(c => c.SourceBranch).HasMaxLength(300);
        builder.Property(c => c.TargetBranch).HasMaxLength(300);
        builder.Property(c => c.HeadSha).HasMaxLength(64);
        builder.Property(c => c.BaseSha).HasMaxLength(64);
        builder.Property(c => c.ScmState).HasMaxLength(20);
        builder.Property(c => c.AuthorshipReason).HasMaxLength(300);
        builder.Property(c => c.ModelParametersHash).HasMaxLength(200);
        builder.Property(c => c.AgentTool).HasMaxLength(200);
        builder.Ignore(c => c.IsUntraced);
        builder.Property(c => c.AssignedToId).HasMaxLength(450);
        builder.Property(c => c.AssignedToName).HasMaxLength(256);
        builder.HasIndex(c => c.AssignedToId);
        builder.Property(c => c.Provenance).HasColumnType("jsonb").HasConversion(
            bundle => bundle == null ? null : JsonSerializer.Serialize(bundle, JsonSerializerOptions.Web),
            json => json == null ? null : JsonSerializer.Deserialize<ProvenanceBundle>(json, JsonSerializerOptions.Web));
        // One change per pull/merge request of a registered repository.
        builder.HasIndex(c => new { c.RepositoryId, c.ExternalNumber }).IsUnique().HasFilter("\"RepositoryId\" IS NOT NULL AND \"ExternalNumber\" IS NOT NULL");
        builder.HasIndex(c => c.HeadSha);
        builder.HasOne<ScmRepository>().WithMany().HasForeignKey(c => c.RepositoryId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.RowVersion).IsRowVersion();
        builder.HasIndex(c => c.SubmittedAt);
        builder.HasIndex(c => new { c.State, c.Tier });
        builder.HasMany(c => c.Revisions).WithOne().HasForeignKey(r => r.ChangeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Events).WithOne().HasForeignKey(e => e.ChangeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Decisions).WithOne().HasForeignKey(d => d.ChangeId).OnDelete(DeleteBehavior.Restrict);
    }
}

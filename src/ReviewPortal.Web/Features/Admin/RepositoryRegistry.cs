using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Features.Admin;

public sealed record RegisterRepositoryRequest(
    ScmProvider Provider,
    string Name,
    string? ProjectId,
    string? ApiBaseUrl,
    string? AccessToken,
    string? LocalPath,
    string DefaultBranch = "main",
    IReadOnlyList<string>? AgentAccounts = null,
    IReadOnlyList<string>? AgentLabels = null);

/// <summary>The registered repository and its webhook secret, which is shown once and stored only encrypted.</summary>
public sealed record RegisteredRepository(ScmRepository Repository, string WebhookSecret, string WebhookPath);

/// <summary>Registers repositories; secrets are encrypted with Data Protection before they reach the database.</summary>
public sealed class RepositoryRegistry(IDbContextFactory<PortalDbContext> dbFactory, SecretProtector secrets, TimeProvider clock)
{
    public static string WebhookPathFor(ScmRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.Provider switch
        {
            ScmProvider.GitHub => $"/webhooks/github/{repository.Id}",
            ScmProvider.GitLab => $"/webhooks/gitlab/{repository.Id}",
            _ => "",
        };
    }

    public async Task<RegisteredRepository> RegisterAsync(RegisterRepositoryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var webhookSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var repository = new ScmRepository
        {
            Provider = request.Provider,
            Name = request.Name.Trim(),
            ProjectId = string.IsNullOrWhiteSpace(request.ProjectId) ? null : request.ProjectId.Trim(),
            ApiBaseUrl = string.IsNullOrWhiteSpace(request.ApiBaseUrl) ? null : request.ApiBaseUrl.Trim().TrimEnd('/'),
            LocalPath = string.IsNullOrWhiteSpace(request.LocalPath) ? null : request.LocalPath.Trim(),
            ProtectedAccessToken = string.IsNullOrEmpty(request.AccessToken) ? null : secrets.Protect(request.AccessToken),
            ProtectedWebhookSecret = secrets.Protect(webhookSecret),
            DefaultBranch = request.DefaultBranch,
            AgentAccounts = request.AgentAccounts?.ToList() ?? [],
            AgentLabels = request.AgentLabels?.ToList() ?? [],
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Repositories.Add(repository);
        await db.SaveChangesAsync(cancellationToken);
        return new RegisteredRepository(repository, webhookSecret, WebhookPathFor(repository));
    }
}

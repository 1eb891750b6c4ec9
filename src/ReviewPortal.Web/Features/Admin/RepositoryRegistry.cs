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

/// <summary>A registration: the registered repository, or why each refused field was refused.</summary>
public sealed record RepositoryRegistration(RegisteredRepository? Registered, FieldErrors Errors);

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

    /// <summary>
    /// Checks <paramref name="request"/> against what the database can store (the EF model's column lengths,
    /// <see cref="Domain.Text.StorableText"/>) and what a repository needs, adding each refusal to <paramref name="errors"/>.
    /// </summary>
    public FieldErrors Check(RegisterRepositoryRequest request, FieldErrors? errors = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        errors ??= new FieldErrors();
        using var db = dbFactory.CreateDbContext();
        var model = db.Model;
        errors.CheckText("name", "Name", request.Name, model.MaxLengthOf<ScmRepository>(nameof(ScmRepository.Name)), required: true);
        errors.CheckText("projectId", "Project id", request.ProjectId, model.MaxLengthOf<ScmRepository>(nameof(ScmRepository.ProjectId)));
        errors.CheckText("apiBaseUrl", "API base URL", request.ApiBaseUrl, model.MaxLengthOf<ScmRepository>(nameof(ScmRepository.ApiBaseUrl)));
        errors.CheckText("accessToken", "Access token", request.AccessToken, maxLength: null);
        errors.CheckText("localPath", "Local path", request.LocalPath, model.MaxLengthOf<ScmRepository>(nameof(ScmRepository.LocalPath)),
            required: request.Provider == ScmProvider.LocalGit);
        errors.CheckText("defaultBranch", "Default branch", request.DefaultBranch, model.MaxLengthOf<ScmRepository>(nameof(ScmRepository.DefaultBranch)));
        if (request.ApiBaseUrl is { Length: > 0 } url && (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            errors.Add("apiBaseUrl", "API base URL must be an absolute http(s) URL.");
        }

        foreach (var (account, i) in (request.AgentAccounts ?? []).Select((a, i) => (a, i)))
        {
            errors.CheckText($"agentAccounts[{i}]", $"Agent account {i + 1}", account, maxLength: null);
        }

        foreach (var (label, i) in (request.AgentLabels ?? []).Select((l, i) => (l, i)))
        {
            errors.CheckText($"agentLabels[{i}]", $"Agent label {i + 1}", label, maxLength: null);
        }

        return errors;
    }

    /// <summary>
    /// Registers <paramref name="request"/> when it passes <see cref="Check"/>; a repository of the same provider and
    /// name already there is refused at the name. Other database failures are not the admin's to fix and propagate.
    /// </summary>
    public async Task<RepositoryRegistration> TryRegisterAsync(RegisterRepositoryRequest request, FieldErrors? errors = null, CancellationToken cancellationToken = default)
    {
        errors = Check(request, errors);
        if (errors.Any)
        {
            return new RepositoryRegistration(null, errors);
        }

        try
        {
            return new RepositoryRegistration(await RegisterAsync(request, cancellationToken), errors);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            errors.AddConflict("name", $"A {request.Provider} repository named '{request.Name.Trim()}' is already registered.");
            return new RepositoryRegistration(null, errors);
        }
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

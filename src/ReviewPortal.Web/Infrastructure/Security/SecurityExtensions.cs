using Microsoft.AspNetCore.DataProtection;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Infrastructure.Security;

public static class SecurityExtensions
{
    public static IServiceCollection AddPortalDataProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Keys in PostgreSQL, so every portal instance shares them (sign-in cookies, encrypted SCM secrets), each
        // encrypted with a certificate kept outside the database.
        services.AddDataProtection().SetApplicationName("ReviewPortal").PersistKeysToDbContext<PortalDbContext>()
            .ProtectKeysWithCertificate(KeyEncryptionCertificate.Load(configuration, environment));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}

/// <summary>Encrypts SCM access tokens and webhook secrets at rest.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("ReviewPortal.ScmSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

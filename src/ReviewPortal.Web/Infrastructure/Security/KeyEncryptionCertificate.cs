using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReviewPortal.Web.Infrastructure.LocalPostgres;

namespace ReviewPortal.Web.Infrastructure.Security;

/// <summary>
/// The certificate that encrypts the Data Protection keys at rest. The keys live in the database; the certificate
/// lives outside it (a file on the host or a mounted secret), so a copy of the database alone (a backup, a replica)
/// does not give away the keys behind the sign-in cookies and the stored SCM tokens.
/// </summary>
public static class KeyEncryptionCertificate
{
    public const string PathKey = $"{DataProtectionSettings.Section}:{nameof(DataProtectionSettings.CertificatePath)}";
    public const string PasswordKey = $"{DataProtectionSettings.Section}:{nameof(DataProtectionSettings.CertificatePassword)}";

    /// <summary>
    /// Loads the PKCS#12 file at <c>DataProtection:CertificatePath</c>, creating a self-signed one there on the first
    /// start. Development and tests default to the repository's ignored <c>.local/</c> folder; anywhere else the
    /// path must be configured, because keys that no one protects are exactly what this is here to prevent.
    /// </summary>
    public static X509Certificate2 Load(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = configuration.ReadSettings<DataProtectionSettings>(DataProtectionSettings.Section);
        var path = settings.CertificatePath is { Length: > 0 } configured ? Path.GetFullPath(configured, environment.ContentRootPath) : DefaultPath(environment);
        var password = settings.CertificatePassword is { Length: > 0 } configuredPassword ? configuredPassword : null;
        if (!File.Exists(path))
        {
            Create(path, password);
            // Said on the console: this runs while the services are registered, before there is a logger.
            Console.WriteLine($"Data Protection key-encryption certificate created at {path}. Keep it and back it up: without it the portal cannot read its keys.");
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static string DefaultPath(IHostEnvironment environment)
    {
        if (!environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
        {
            throw new InvalidOperationException(
                $"Set {PathKey} (environment variable DataProtection__CertificatePath) to a PKCS#12 file outside the database, on a volume that outlives the app; "
                + $"the portal creates it there on its first start. {PasswordKey} optionally protects the file.");
        }

        return Path.Combine(LocalPostgresExtensions.FindRepositoryRoot(environment.ContentRootPath), ".local", "data-protection", "key-encryption.pfx");
    }

    private static void Create(string path, string? password)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=ReviewPortal Data Protection key encryption", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;
        // Expiry is not checked when keys are encrypted or read; the long lifetime only avoids a misleading date.
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        var staging = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(staging, options))
        {
            file.Write(certificate.Export(X509ContentType.Pkcs12, password));
        }

        try
        {
            File.Move(staging, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance created it first: every instance must use that one.
            File.Delete(staging);
        }
    }
}

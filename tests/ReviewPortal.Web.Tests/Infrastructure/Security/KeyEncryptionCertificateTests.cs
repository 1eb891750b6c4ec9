using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting.Internal;
using ReviewPortal.Testing;
using ReviewPortal.Web.Data;
using ReviewPortal.Web.Infrastructure.Security;

namespace ReviewPortal.Web.Tests.Infrastructure.Security;

public sealed class KeyEncryptionCertificateTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "reviewportal-tests", "key-encryption-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Keys_are_stored_encrypted_with_the_certificate_and_a_second_instance_with_it_reads_them()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("dpkeys-encrypted");
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal) { [KeyEncryptionCertificate.PathKey] = Path.Combine(_folder, "keys.pfx") };
        string protectedToken;
        await using (var first = new PortalFactory(connectionString, settings: settings))
        {
            protectedToken = first.Services.GetRequiredService<SecretProtector>().Protect("ghp_encrypted_at_rest");
        }

        await using var second = new PortalFactory(connectionString, settings: settings);

        Assert.Equal("ghp_encrypted_at_rest", second.Services.GetRequiredService<SecretProtector>().Unprotect(protectedToken));
        await using var scope = second.Services.CreateAsyncScope();
        var key = Assert.Single(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().DataProtectionKeys.AsNoTracking().ToListAsync());
        Assert.Contains("<EncryptedData", key.Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", key.Xml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_start_creates_the_certificate_at_the_configured_path_and_later_starts_load_that_one()
    {
        var path = Path.Combine(_folder, "nested", "keys.pfx");
        var configuration = Configuration(new() { [KeyEncryptionCertificate.PathKey] = path, [KeyEncryptionCertificate.PasswordKey] = "s3cret" });

        using var created = KeyEncryptionCertificate.Load(configuration, Environment("Production"));
        using var loaded = KeyEncryptionCertificate.Load(configuration, Environment("Production"));

        Assert.True(File.Exists(path));
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(created.Thumbprint, loaded.Thumbprint);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Outside_development_and_tests_the_portal_refuses_to_start_without_a_certificate_path()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => KeyEncryptionCertificate.Load(Configuration([]), Environment("Production")));

        Assert.Contains(KeyEncryptionCertificate.PathKey, refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static HostingEnvironment Environment(string name) =>
        new() { EnvironmentName = name, ApplicationName = "ReviewPortal.Web", ContentRootPath = Path.GetTempPath(), ContentRootFileProvider = new NullFileProvider() };
}

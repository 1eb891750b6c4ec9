namespace ReviewPortal.Web.Infrastructure.Security;

/// <summary><c>DataProtection</c>: the PKCS#12 file whose certificate encrypts the Data Protection keys at rest.</summary>
public sealed class DataProtectionSettings
{
    public const string Section = "DataProtection";

    /// <summary>Required outside development; relative paths are taken from the content root.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

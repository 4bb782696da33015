using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cnh.Notifications.Data;
using Cnh.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// Webhook signing secrets at rest: stored encrypted with ASP.NET Core Data Protection, whose key ring lives in this
/// service's database (<c>data_protection_keys</c>) encrypted in turn with a certificate kept outside it
/// (<c>Notifications:DataProtection:CertificateFile</c>, owner-only, made on first start) — so a database dump alone
/// gives neither the secrets nor the keys that open them.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    /// <summary>Marks a protected value; a stored secret without it predates the protection and is protected at the next start.</summary>
    public const string Prefix = "dp1:";

    readonly IDataProtector _protector = provider.CreateProtector("Cnh.Notifications.WebhookSecret.v1");

    public string Protect(string secret) => Prefix + _protector.Protect(secret);

    public string Reveal(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;

    public static void AddTo(WebApplicationBuilder builder)
    {
        var certificate = Certificate(
            builder.Configuration["Notifications:DataProtection:CertificateFile"]
                ?? Path.Combine(AppContext.BaseDirectory, "data-protection.pfx")
        );
        builder
            .Services.AddDataProtection()
            .SetApplicationName("cnh-notifications")
            .PersistKeysToDbContext<NotificationsDb>()
            .ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate(certificate);
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddHostedService<ProtectStoredSecrets>();
    }

    /// <summary>The key-encryption certificate: loaded, or made (self-signed RSA 3072, ten years) and written owner-only.</summary>
    static X509Certificate2 Certificate(string path)
    {
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest(
                "CN=cnh-notifications data protection",
                rsa,
                HashAlgorithmName.SHA256,
                RSASignaturePadding.Pkcs1
            );
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
            // Written aside and moved in: of several instances starting together, the first one's certificate is everyone's.
            var written = $"{path}.{Guid.NewGuid():N}.tmp";
            PrivateFiles.Write(written, made.Export(X509ContentType.Pkcs12));
            try
            {
                File.Move(written, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(written);
            }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet);
    }
}

/// <summary>At start, after migrations: protects secrets stored before they were protected.</summary>
public sealed class ProtectStoredSecrets(IServiceScopeFactory scopes, WebhookSecrets secrets, ILogger<ProtectStoredSecrets> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDb>();
        var plain = await db.Subscriptions.Where(s => s.Secret != null && !s.Secret.StartsWith(WebhookSecrets.Prefix)).ToListAsync(ct);
        foreach (var s in plain)
            s.Secret = secrets.Protect(s.Secret!);
        await db.SaveChangesAsync(ct);
        if (plain.Count > 0)
            logger.LogInformation("Protected {Count} webhook secrets stored in clear", plain.Count);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

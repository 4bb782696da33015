using System.Text.Json;
using Cnh.ServiceDefaults;

namespace Cnh.Gateway.Auth;

public sealed record DevelopmentCredential(string ClientId, string ClientSecret, string Role, string? Department);

public sealed record DevelopmentCredentialsFile(string TokenUrl, IReadOnlyList<DevelopmentCredential> Clients);

/// <summary>
/// <c>Auth:DevelopmentCredentialsFile</c> (git-ignored, owner-only): the plain secrets of the clients the gateway makes
/// for development — an admin and a viewer at the first start, then a client per department as the catalogue defines
/// them. Only in the Development environment; elsewhere nothing is written and no such client is made.
/// </summary>
public sealed class DevelopmentCredentials(TokenServerOptions options, IHostEnvironment environment)
{
    static readonly SemaphoreSlim FileLock = new(1, 1);
    static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public bool Enabled => environment.IsDevelopment() && !string.IsNullOrEmpty(options.DevelopmentCredentialsFile);

    public async Task AddAsync(IEnumerable<DevelopmentCredential> added, CancellationToken ct)
    {
        if (!Enabled)
            return;
        var path = options.DevelopmentCredentialsFile!;
        await FileLock.WaitAsync(ct);
        try
        {
            var existing = File.Exists(path)
                ? JsonSerializer
                    .Deserialize<DevelopmentCredentialsFile>(await File.ReadAllTextAsync(path, ct), JsonSerializerOptions.Web)
                    ?.Clients
                    ?? []
                : [];
            var all = existing.Where(c => added.All(a => a.ClientId != c.ClientId)).Concat(added).ToList();
            var tokenUrl = options.IssuerUri.TrimEnd('/') + TokenServer.TokenPath;
            PrivateFiles.Write(path, JsonSerializer.Serialize(new DevelopmentCredentialsFile(tokenUrl, all), Indented));
        }
        finally
        {
            FileLock.Release();
        }
    }
}

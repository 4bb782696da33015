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
    static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public bool Enabled => environment.IsDevelopment() && !string.IsNullOrEmpty(options.DevelopmentCredentialsFile);

    public async Task AddAsync(IEnumerable<DevelopmentCredential> added, CancellationToken ct)
    {
        if (!Enabled)
            return;
        var path = options.DevelopmentCredentialsFile!;
        // Several gateways may share the file (two instances on one machine): the read-add-write is locked across processes.
        await using (await LockAsync(path + ".lock", ct))
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
    }

    /// <summary>An exclusive lock on a file (FileShare.None is an flock on Linux), waited for.</summary>
    static async Task<FileStream> LockAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var options = new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.None,
                };
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                return new FileStream(path, options);
            }
            catch (IOException)
            {
                await Task.Delay(20, ct);
            }
        }
    }
}

using System.Text.Json;
using Cnh.Contracts;

namespace Cnh.Gateway.Auth;

public sealed record ApiClient(string ClientId, string SecretHash, string Role, string? Department);

public sealed record ClientFile(IReadOnlyList<ApiClient> Clients);

public sealed record DevelopmentCredential(string ClientId, string ClientSecret, string Role, string? Department);

public sealed record DevelopmentCredentialsFile(string TokenUrl, IReadOnlyList<DevelopmentCredential> Clients);

/// <summary>
/// The configured API clients (<c>Auth:ClientsFile</c>: ids, roles, PBKDF2 hashes, never plain secrets). In development,
/// when the file does not exist yet, it creates one admin, one viewer and one client per department of the seed
/// catalogue and writes their plain secrets once to <c>Auth:DevelopmentCredentialsFile</c> (git-ignored).
/// </summary>
public sealed class ClientStore
{
    readonly Dictionary<string, ApiClient> _clients;

    public ClientStore(IConfiguration configuration, IHostEnvironment environment, ILogger<ClientStore> logger)
    {
        var path = configuration["Auth:ClientsFile"] ?? throw new InvalidOperationException("Auth:ClientsFile is not configured.");
        var credentialsPath = configuration["Auth:DevelopmentCredentialsFile"];
        if (!File.Exists(path))
        {
            if (credentialsPath is null || !environment.IsDevelopment())
                throw new InvalidOperationException($"No client file at {path}.");
            GenerateDevelopmentClients(path, credentialsPath, configuration);
            logger.LogWarning("Generated development API clients; secrets are in {Path}", credentialsPath);
        }
        var file = JsonSerializer.Deserialize<ClientFile>(File.ReadAllText(path), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Client file {path} is empty.");
        _clients = file.Clients.ToDictionary(c => c.ClientId, StringComparer.Ordinal);
    }

    public ApiClient? Authenticate(string clientId, string clientSecret) =>
        _clients.TryGetValue(clientId, out var client) && ClientSecretHasher.Verify(clientSecret, client.SecretHash) ? client : null;

    static void GenerateDevelopmentClients(string path, string credentialsPath, IConfiguration configuration)
    {
        var departments = new List<string>();
        var departmentsFile = Path.Combine(AppContext.BaseDirectory, configuration["Auth:DepartmentsFile"] ?? "Seed/hanoi-cnh-hdh-2030.json");
        if (File.Exists(departmentsFile))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(departmentsFile));
            departments.AddRange(doc.RootElement.GetProperty("departments").EnumerateArray().Select(d => d.GetProperty("code").GetString()!));
        }
        var credentials = new List<DevelopmentCredential>
        {
            new("admin", ClientSecretHasher.NewSecret(), Roles.Admin, null),
            new("viewer", ClientSecretHasher.NewSecret(), Roles.Viewer, null),
        };
        credentials.AddRange(departments.Select(d => new DevelopmentCredential($"dept-{d.ToLowerInvariant()}", ClientSecretHasher.NewSecret(), Roles.Department, d)));
        var clients = credentials.Select(c => new ApiClient(c.ClientId, ClientSecretHasher.Hash(c.ClientSecret), c.Role, c.Department)).ToList();

        var issuer = configuration["Auth:Issuer"] ?? "http://127.0.0.1:5080";
        WritePrivate(credentialsPath, JsonSerializer.Serialize(new DevelopmentCredentialsFile($"{issuer.TrimEnd('/')}/auth/token", credentials), Indented));
        WritePrivate(path, JsonSerializer.Serialize(new ClientFile(clients), Indented));
    }

    static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true };

    internal static void WritePrivate(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

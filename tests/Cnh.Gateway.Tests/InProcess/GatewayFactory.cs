using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Cnh.Gateway.Tests.InProcess;

/// <summary>
/// The gateway in process as a development installation starts: it makes its signing key and its first admin and
/// viewer clients (their secrets in a credentials file of the test's own) and issues and checks its own tokens.
/// </summary>
public sealed class GatewayFactory : ServiceFactory<Program>
{
    readonly string _files = Directory.CreateTempSubdirectory("cnh-gateway-inproc-").FullName;

    protected override bool TrustsTestTokens => false;

    protected override string EnvironmentName => "Development";

    string CredentialsFile => Path.Combine(_files, "development-credentials.json");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:SigningKeyFile", Path.Combine(_files, "signing-key.pem"));
        builder.UseSetting("Auth:DevelopmentCredentialsFile", CredentialsFile);
        builder.UseSetting("Auth:ClientsFile", "");
    }

    /// <summary>The plain secret the gateway wrote for a development client (admin, viewer, dept-…), once it exists.</summary>
    public async Task<string> DevelopmentSecretAsync(string clientId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(CredentialsFile))
            {
                using var file = JsonDocument.Parse(await File.ReadAllTextAsync(CredentialsFile));
                var client = file
                    .RootElement.GetProperty("clients")
                    .EnumerateArray()
                    .FirstOrDefault(c => c.GetProperty("clientId").GetString() == clientId);
                if (client.ValueKind == JsonValueKind.Object)
                    return client.GetProperty("clientSecret").GetString()!;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No development secret for {clientId} in {CredentialsFile}.");
    }

    /// <summary>The token endpoint's answer to a client-credentials request.</summary>
    public Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret) =>
        CreateClient()
            .PostAsync(
                "/auth/token",
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["client_id"] = clientId,
                        ["client_secret"] = secret,
                    }
                )
            );

    /// <summary>A client of the gateway carrying a token it issued to <paramref name="clientId"/>.</summary>
    public async Task<HttpClient> SignedInAsync(string clientId, string secret)
    {
        var response = await RequestTokenAsync(clientId, secret);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_files))
            Directory.Delete(_files, recursive: true);
    }
}

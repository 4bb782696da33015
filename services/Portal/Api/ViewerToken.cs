using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;

namespace Cnh.Portal.Api;

public sealed class PortalApiOptions
{
    /// <summary>The gateway: the portal reads every API through it, as any other client does.</summary>
    public string GatewayUrl { get; set; } = "http://127.0.0.1:5080";
    public string ClientId { get; set; } = "portal";

    /// <summary>The client's secret, or (preferred) the owner-only file the gateway wrote it to.</summary>
    public string? ClientSecret { get; set; }
    public string? ClientSecretFile { get; set; }

    /// <summary>How often the scores are read; a new score reaches open pages within this (plus the render).</summary>
    public double RefreshSeconds { get; set; } = 2;

    /// <summary>How often the catalogue, completeness and alerts are read when no score changed.</summary>
    public double SlowRefreshSeconds { get; set; } = 30;
}

/// <summary>
/// The portal's own <c>viewer</c> token, from the gateway's <c>/auth/token</c>: fetched when needed, kept until a minute
/// before it expires. The browser never sees it.
/// </summary>
public sealed class ViewerToken(
    IHttpClientFactory clients,
    Microsoft.Extensions.Options.IOptions<PortalApiOptions> options,
    TimeProvider clock
)
{
    public const string TokenClient = "portal-token";
    readonly SemaphoreSlim _lock = new(1, 1);
    (string Token, DateTimeOffset RenewAt)? _current;

    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (_current is { } c && clock.GetUtcNow() < c.RenewAt)
            return c.Token;
        await _lock.WaitAsync(ct);
        try
        {
            if (_current is { } again && clock.GetUtcNow() < again.RenewAt)
                return again.Token;
            var o = options.Value;
            var form = new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = o.ClientId,
                    ["client_secret"] = Secret(o),
                }
            );
            using var response = await clients.CreateClient(TokenClient).PostAsync("/auth/token", form, ct);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
                throw new InvalidOperationException(
                    $"The gateway refused the portal's client '{o.ClientId}' ({(int)response.StatusCode}): check its secret."
                );
            response.EnsureSuccessStatusCode();
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(ct)
                ?? throw new InvalidOperationException("Empty token answer.");
            _current = (token.AccessToken, clock.GetUtcNow().AddSeconds(Math.Max(token.ExpiresIn - 60, token.ExpiresIn / 2)));
            return token.AccessToken;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>After a 401 (secret rotated, key rotated): the next call fetches a new token, reading the secret file again.</summary>
    public void Forget() => _current = null;

    static string Secret(PortalApiOptions o) =>
        !string.IsNullOrEmpty(o.ClientSecretFile) && File.Exists(o.ClientSecretFile)
            ? File.ReadAllText(o.ClientSecretFile).Trim()
            : o.ClientSecret ?? throw new InvalidOperationException("Set Portal:ClientSecretFile or Portal:ClientSecret.");

    sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn
    );
}

/// <summary>Puts the viewer token on every API call, and asks once more with a fresh token after a 401.</summary>
public sealed class ViewerTokenHandler(ViewerToken token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(ct));
        var response = await base.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;
        response.Dispose();
        token.Forget();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(ct));
        return await base.SendAsync(request, ct);
    }
}

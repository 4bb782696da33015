using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// A revoked client, a rotated secret or a revoked token stops working in every service within seconds — on the
/// service's own port too, where the gateway's check is not in the way (the request carries the gateway's secret, as
/// one the gateway forwarded would).
/// </summary>
[Collection(PlatformCollection.Name)]
public class RevocationTests(Platform platform)
{
    static readonly string[] Paths = ["/api/catalogue/groups", "/api/submissions", "/api/scores", "/api/alert-rules"];
    static readonly Dictionary<string, string> ServiceOf = new()
    {
        ["/api/catalogue/groups"] = "catalogue",
        ["/api/submissions"] = "submissions",
        ["/api/scores"] = "scoring",
        ["/api/alert-rules"] = "notifications",
    };

    [Theory]
    [InlineData("client revoked")]
    [InlineData("secret rotated")]
    [InlineData("token revoked")]
    public async Task When_a_client_or_token_is_revoked_every_service_refuses_the_token_within_seconds(string change)
    {
        var (clientId, secret) = await CreateAdminClientAsync();
        var token = await TokenAsync(clientId, secret);
        foreach (var path in Paths)
            (await DirectAsync(path, token)).StatusCode.Should().Be(HttpStatusCode.OK, $"before the change, {path} on its own port");

        switch (change)
        {
            case "client revoked":
                (await platform.SendAsync(HttpMethod.Delete, $"/api/clients/{clientId}", "admin"))
                    .StatusCode.Should()
                    .Be(HttpStatusCode.NoContent);
                break;
            case "secret rotated":
                (await platform.SendAsync(HttpMethod.Post, $"/api/clients/{clientId}/secret", "admin"))
                    .StatusCode.Should()
                    .Be(HttpStatusCode.OK);
                break;
            case "token revoked":
                (await IntrospectAsync(clientId, secret, token)).GetProperty("active").GetBoolean().Should().BeTrue();
                var revoked = await platform.Http.PostAsync(platform.Url("/auth/revoke"), Form(clientId, secret, ("token", token)));
                revoked.StatusCode.Should().Be(HttpStatusCode.OK, "RFC 7009: a client revokes its own token");
                (await IntrospectAsync(clientId, secret, token)).GetProperty("active").GetBoolean().Should().BeFalse();
                break;
        }

        var clock = Stopwatch.StartNew();
        var pending = Paths.ToHashSet();
        while (pending.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            foreach (var path in pending.ToList())
                if ((await DirectAsync(path, token)).StatusCode == HttpStatusCode.Unauthorized)
                    pending.Remove(path);
            if (pending.Count > 0)
                await Task.Delay(250);
        }
        pending
            .Should()
            .BeEmpty(
                $"every service refuses the token within seconds of the change ({change}); still accepted after "
                    + $"{clock.Elapsed.TotalSeconds:F1} s"
            );
        (await platform.SendWithTokenAsync(HttpMethod.Get, "/api/scores", token))
            .StatusCode.Should()
            .Be(HttpStatusCode.Unauthorized, "and the gateway refuses it");
    }

    [Fact]
    public async Task When_a_service_asks_for_the_revocation_list_without_the_gateways_secret_it_is_refused()
    {
        (await platform.Http.GetAsync(platform.Url("/auth/revocations"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.Url("/auth/revocations"));
        request.Headers.TryAddWithoutValidation("X-Cnh-Gateway", (await File.ReadAllTextAsync(platform.GatewaySecretFile)).Trim());
        var list = await platform.Http.SendAsync(request);
        list.StatusCode.Should().Be(HttpStatusCode.OK);
        (await list.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("clients", out _).Should().BeTrue();
    }

    async Task<HttpResponseMessage> DirectAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.Services[ServiceOf[path]].BaseUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Cnh-Gateway", (await File.ReadAllTextAsync(platform.GatewaySecretFile)).Trim());
        return await platform.Http.SendAsync(request);
    }

    async Task<(string Id, string Secret)> CreateAdminClientAsync()
    {
        var created = await platform.SendAsync(
            HttpMethod.Post,
            "/api/clients",
            "admin",
            new { role = "admin", description = "revocation test" }
        );
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!);
    }

    async Task<string> TokenAsync(string clientId, string secret)
    {
        var response = await platform.Http.PostAsync(
            platform.Url("/auth/token"),
            Form(clientId, secret, ("grant_type", "client_credentials"))
        );
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    async Task<JsonElement> IntrospectAsync(string clientId, string secret, string token)
    {
        var response = await platform.Http.PostAsync(platform.Url("/auth/introspect"), Form(clientId, secret, ("token", token)));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    static FormUrlEncodedContent Form(string clientId, string secret, params (string Key, string Value)[] fields) =>
        new(
            new Dictionary<string, string>(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)))
            {
                ["client_id"] = clientId,
                ["client_secret"] = secret,
            }
        );
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.EndToEnd.Tests;

/// <summary>Every service validates the token itself: signature, issuer, audience, lifetime, algorithm.</summary>
[Collection(PlatformCollection.Name)]
public class TokenSecurityTests(Platform platform)
{
    public static TheoryData<string> BadTokens => ["forged", "expired", "wrong-audience", "wrong-issuer", "alg-none", "garbage"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task When_a_token_is_not_one_the_gateway_issued_for_this_api_every_service_answers_401(string kind)
    {
        var token = BadToken(kind);
        (string Method, string Path, object? Body)[] calls =
        [
            ("GET", "/api/catalogue/indicators", null),
            (
                "POST",
                "/api/submissions",
                new
                {
                    indicatorCode = "KT03",
                    period = "2024",
                    value = 16,
                }
            ),
            ("GET", "/api/scores", null),
            ("GET", "/api/notifications", null),
        ];
        foreach (var (method, path, body) in calls)
        {
            var response = await platform.SendWithTokenAsync(new HttpMethod(method), path, token, body);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{kind} token on {method} {path}");
        }
        (await platform.ScalarAsync("submissions", "SELECT count(*) FROM submissions WHERE indicator_code = 'KT03'")).Should().Be(0);
    }

    [Fact]
    public async Task When_the_same_claims_are_signed_with_the_gateways_key_they_are_accepted()
    {
        // The control for the theory above: only the defect makes those tokens fail.
        var response = await platform.SendWithTokenAsync(HttpMethod.Get, "/api/scores", BadToken("valid"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_a_viewer_tries_to_write_it_gets_403()
    {
        (await platform.SubmitAsync("viewer", "KT03", "2024", 16)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await platform.SendAsync(HttpMethod.Put, "/api/catalogue/indicators/KT03", "viewer", "{}"))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
        (await platform.SendAsync(HttpMethod.Post, "/api/catalogue/republish", "viewer")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await platform.SendAsync(HttpMethod.Get, "/api/scores", "viewer")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_a_department_reads_another_departments_submissions_it_gets_403()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        (await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2024", 31)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await platform.SendAsync(HttpMethod.Get, "/api/submissions?department=TC", TestIndicator.Client))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
        var own = await platform.GetJsonAsync("/api/submissions", TestIndicator.Client);
        own.EnumerateArray()
            .Should()
            .NotBeEmpty()
            .And.OnlyContain(s => s.GetProperty("department").GetString() == TestIndicator.Department);
    }

    [Fact]
    public async Task When_a_client_guesses_secrets_too_fast_it_gets_429_with_retry_after_and_others_are_unaffected()
    {
        // dept-vhtt: a client no other test signs in as, so its locked-out window harms nobody.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30 && limited is null; i++)
        {
            var response = await platform.Http.PostAsync(
                platform.Url("/auth/token"),
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["client_id"] = "dept-vhtt",
                        ["client_secret"] = $"guess-{i}",
                    }
                )
            );
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
            else
                response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        limited.Should().NotBeNull("guessing must be slowed down");
        limited!.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeGreaterThan(0);
        limited.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await platform.NewTokenAsync("dept-xd")).Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task When_one_address_asks_for_tokens_with_ever_new_client_ids_it_is_stopped_and_other_addresses_are_not()
    {
        // Each failed request costs a PBKDF2 hash; per client id limits alone would let new ids buy unlimited CPU.
        using var attacker = LoopbackClient.From("127.0.0.23");
        HttpResponseMessage? limited = null;
        var sent = 0;
        while (limited is null && sent < 200)
        {
            var response = await attacker.PostAsync(
                platform.Url("/auth/token"),
                new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["client_id"] = $"nobody-{Guid.NewGuid():N}",
                        ["client_secret"] = "guess",
                    }
                )
            );
            HostileReport.Count((int)response.StatusCode);
            sent++;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
            else
                response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        limited.Should().NotBeNull("failed token requests from one address are limited whatever the client id");
        sent.Should().BeLessThanOrEqualTo(61);
        limited!.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeGreaterThan(0);
        (await platform.NewTokenAsync("dept-xd")).Should().NotBeNullOrEmpty("another address is not affected");
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/health")]
    [InlineData("/openapi/scoring.json")]
    public async Task When_one_address_floods_what_answers_without_a_token_it_gets_429_and_other_addresses_do_not(string path)
    {
        using var flooder = LoopbackClient.From($"127.0.0.{30 + path.Length % 200}");
        var answers = await Task.WhenAll(
            Enumerable
                .Range(0, 300)
                .Select(async _ =>
                {
                    using var response = await flooder.GetAsync(platform.Url(path));
                    HostileReport.Count((int)response.StatusCode);
                    return response.StatusCode;
                })
        );
        answers.Should().Contain(HttpStatusCode.TooManyRequests, $"300 requests at once to {path} from one address");
        answers.Where(s => s != HttpStatusCode.TooManyRequests).Should().OnlyContain(s => s == HttpStatusCode.OK);
        (await platform.Http.GetAsync(platform.Url(path))).StatusCode.Should().Be(HttpStatusCode.OK, "another address is not affected");
    }

    [Fact]
    public async Task When_the_signing_key_rotates_tokens_of_the_old_and_the_new_key_are_both_accepted()
    {
        var oldToken = await platform.NewTokenAsync("dept-gddt");
        var gateway = platform.Gateway;
        var previousKey = Path.Combine(Path.GetDirectoryName(platform.SigningKeyFile)!, $"previous-{Guid.NewGuid():N}.pem");
        File.Copy(platform.SigningKeyFile, previousKey);
        using (var next = RSA.Create(2048))
            File.WriteAllText(platform.SigningKeyFile, next.ExportRSAPrivateKeyPem());

        gateway.Stop();
        gateway.Environment["Auth__AdditionalKeyFiles__0"] = previousKey;
        gateway.Start();
        await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));

        var jwks = await platform.Http.GetFromJsonAsync<JsonElement>(platform.Url("/.well-known/jwks.json"));
        jwks.GetProperty("keys").GetArrayLength().Should().Be(2);
        jwks.GetProperty("keys")
            .EnumerateArray()
            .Select(k => k.TryGetProperty("d", out var _))
            .Should()
            .AllBeEquivalentTo(false, "private parts are never published");

        var newToken = await platform.NewTokenAsync("dept-gddt");
        new JsonWebToken(newToken).Kid.Should().NotBe(new JsonWebToken(oldToken).Kid);
        // The very first request with the new key id succeeds in every service: no request is lost to the rotation.
        foreach (var path in new[] { "/api/catalogue/groups", "/api/submissions", "/api/scores", "/api/notifications" })
        {
            (await platform.SendWithTokenAsync(HttpMethod.Get, path, newToken))
                .StatusCode.Should()
                .Be(HttpStatusCode.OK, $"new key on {path}");
            (await platform.SendWithTokenAsync(HttpMethod.Get, path, oldToken))
                .StatusCode.Should()
                .Be(HttpStatusCode.OK, $"old key on {path}");
        }
    }

    /// <summary>The admin client's current secret, as its tokens name it (the gateway refuses tokens of any other).</summary>
    string AdminSecretGeneration() =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(platform.TokenAsync("admin").GetAwaiter().GetResult())
            .GetClaim("cnh_secret_gen")
            .Value;

    string BadToken(string kind)
    {
        var realKey = new RsaSecurityKey(LoadRsa(platform.SigningKeyFile));
        realKey.KeyId = Base64UrlEncoder.Encode(realKey.ComputeJwkThumbprint());
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "admin",
            ["client_id"] = "admin",
            ["role"] = "admin",
            ["cnh_secret_gen"] = AdminSecretGeneration(),
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = platform.Issuer,
            Audience = "cnh-api",
            Claims = claims,
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            IssuedAt = DateTime.UtcNow,
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(realKey, SecurityAlgorithms.RsaSha256),
        };
        switch (kind)
        {
            case "forged":
                // Same key id as the real key, but signed by an attacker's key.
                var attacker = new RsaSecurityKey(RSA.Create(2048)) { KeyId = realKey.KeyId };
                descriptor.SigningCredentials = new SigningCredentials(attacker, SecurityAlgorithms.RsaSha256);
                break;
            case "expired":
                descriptor.NotBefore = DateTime.UtcNow.AddHours(-2);
                descriptor.IssuedAt = DateTime.UtcNow.AddHours(-2);
                descriptor.Expires = DateTime.UtcNow.AddHours(-1);
                break;
            case "wrong-audience":
                descriptor.Audience = "another-api";
                break;
            case "wrong-issuer":
                descriptor.Issuer = "http://127.0.0.1:1/evil";
                break;
            case "alg-none":
                static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
                var payload = JsonSerializer.Serialize(
                    new Dictionary<string, object>(claims)
                    {
                        ["iss"] = platform.Issuer,
                        ["aud"] = "cnh-api",
                        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
                    }
                );
                return $"{B64("""{"alg":"none","typ":"JWT"}""")}.{B64(payload)}.";
            case "garbage":
                return "not-a-jwt";
        }
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    static RSA LoadRsa(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }
}

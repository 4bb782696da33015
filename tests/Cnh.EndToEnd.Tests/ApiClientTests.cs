using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class ApiClientTests(Platform platform)
{
    [Fact]
    public async Task When_an_admin_creates_a_department_client_its_secret_is_shown_once_stored_hashed_and_it_can_submit()
    {
        await TestIndicator.EnsureDepartmentClientAsync(platform);
        var created = await platform.SendAsync(
            HttpMethod.Post,
            "/api/clients",
            "admin",
            new
            {
                role = "department",
                department = TestIndicator.Department,
                description = "nightly upload",
            }
        );
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var clientId = body.GetProperty("clientId").GetString()!;
        var secret = body.GetProperty("clientSecret").GetString()!;
        secret.Length.Should().BeGreaterThanOrEqualTo(40);

        var listed = await platform.SendAsync(HttpMethod.Get, "/api/clients", "admin");
        var text = await listed.Content.ReadAsStringAsync();
        var stored = await platform.Sandbox.TextAsync(
            "gateway",
            "SELECT client_secret FROM openiddict_applications WHERE client_id = @id",
            ("id", clientId)
        );
        // OpenIddict's PBKDF2 hash: format marker 0x01, then the PRF, iterations, salt and subkey (base64).
        Convert.FromBase64String(stored!)[0].Should().Be(0x01);
        stored.Should().NotContain(secret);
        text.Should()
            .Contain(clientId)
            .And.NotContain(secret)
            .And.NotContain(stored, "neither the secret nor its hash is ever answered again");

        platform.UseClient(clientId, secret);
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var submitted = await platform.SubmitAsync(clientId, indicator.Code, "2024", 10);
        submitted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await platform.SubmitAsync(clientId, "KT01", "2024", 10))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden, "the client acts for its department only");
    }

    [Fact]
    public async Task When_a_secret_is_rotated_the_old_secret_and_the_tokens_issued_with_it_stop_working()
    {
        var (clientId, secret) = await CreateAsync();
        var oldToken = await TokenAsync(clientId, secret);
        (await platform.SendWithTokenAsync(HttpMethod.Get, "/api/scores", oldToken)).StatusCode.Should().Be(HttpStatusCode.OK);
        // At once: a rotation in the same second as the token still ends it (tokens name the secret they were issued under).

        var rotated = await platform.SendAsync(HttpMethod.Post, $"/api/clients/{clientId}/secret", "admin");
        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;
        newSecret.Should().NotBe(secret);

        (await TokenResponseAsync(clientId, secret)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var refused = await platform.SendWithTokenAsync(HttpMethod.Get, "/api/scores", oldToken);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().Should().Be("Token revoked");
        var newToken = await TokenAsync(clientId, newSecret);
        (await platform.SendWithTokenAsync(HttpMethod.Get, "/api/scores", newToken)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_a_client_is_revoked_it_gets_no_token_and_its_tokens_are_refused_and_the_audit_records_it()
    {
        var (clientId, secret) = await CreateAsync();
        var token = await TokenAsync(clientId, secret);

        (await platform.SendAsync(HttpMethod.Delete, $"/api/clients/{clientId}", "admin")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await TokenResponseAsync(clientId, secret)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await platform.SendWithTokenAsync(HttpMethod.Get, "/api/scores", token)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await platform.SendAsync(HttpMethod.Post, $"/api/clients/{clientId}/secret", "admin"))
            .StatusCode.Should()
            .Be(HttpStatusCode.Conflict);
        var client = await platform.GetJsonAsync($"/api/clients/{clientId}", "admin");
        client.GetProperty("revokedAt").ValueKind.Should().Be(JsonValueKind.String);

        var audit = await platform.GetJsonAsync($"/api/clients/audit?entity=client&key={clientId}", "admin");
        audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).Should().Equal("client.revoked", "client.created");
        audit[0].GetProperty("clientId").GetString().Should().Be("admin");
    }

    [Fact]
    public async Task When_a_client_request_is_wrong_it_gets_the_right_problem_and_nothing_is_created()
    {
        var before = await platform.ScalarAsync("gateway", "SELECT count(*) FROM api_clients");

        var unknownDepartment = await platform.SendAsync(
            HttpMethod.Post,
            "/api/clients",
            "admin",
            new { role = "department", department = "NOPE" }
        );
        unknownDepartment.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await unknownDepartment.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("errors")
            .TryGetProperty("department", out _)
            .Should()
            .BeTrue();
        var badRole = await platform.SendAsync(HttpMethod.Post, "/api/clients", "admin", new { role = "root" });
        (await badRole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("role", out _).Should().BeTrue();
        (await platform.SendAsync(HttpMethod.Post, "/api/clients", "admin", new { clientId = "admin", role = "viewer" }))
            .StatusCode.Should()
            .Be(HttpStatusCode.Conflict);
        (await platform.SendAsync(HttpMethod.Post, "/api/clients", "dept-tc", new { role = "viewer" }))
            .StatusCode.Should()
            .Be(HttpStatusCode.Forbidden);
        (await platform.SendAsync(HttpMethod.Post, "/api/clients", null, new { role = "viewer" }))
            .StatusCode.Should()
            .Be(HttpStatusCode.Unauthorized);
        (await platform.SendAsync(HttpMethod.Delete, "/api/clients/nobody-here", "admin")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await platform.SendAsync(HttpMethod.Delete, "/api/clients/admin", "admin"))
            .StatusCode.Should()
            .Be(HttpStatusCode.Conflict, "an admin cannot lock itself out");

        (await platform.ScalarAsync("gateway", "SELECT count(*) FROM api_clients")).Should().Be(before);
    }

    async Task<(string Id, string Secret)> CreateAsync()
    {
        var created = await platform.SendAsync(HttpMethod.Post, "/api/clients", "admin", new { role = "viewer" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!);
    }

    Task<HttpResponseMessage> TokenResponseAsync(string clientId, string secret) =>
        platform.Http.PostAsync(
            platform.Url("/auth/token"),
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = clientId,
                    ["client_secret"] = secret,
                }
            )
        );

    async Task<string> TokenAsync(string clientId, string secret)
    {
        var response = await TokenResponseAsync(clientId, secret);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}

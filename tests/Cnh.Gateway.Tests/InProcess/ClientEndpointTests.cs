using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Testing;

namespace Cnh.Gateway.Tests.InProcess;

/// <summary>The gateway's token server and client administration in process, on a database of the test's own.</summary>
public class ClientEndpointTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task When_the_development_admin_asks_for_a_token_it_gets_a_bearer_token_and_a_wrong_secret_gets_invalid_client()
    {
        var secret = await gateway.DevelopmentSecretAsync("admin");

        var issued = await gateway.RequestTokenAsync("admin", secret);
        var refused = await gateway.RequestTokenAsync("admin", secret + "x");

        issued.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = await issued.Content.ReadFromJsonAsync<JsonElement>();
        token.GetProperty("token_type").GetString().Should().Be("Bearer");
        token.GetProperty("expires_in").GetInt32().Should().BeGreaterThan(0);
        ((int)refused.StatusCode).Should().BeOneOf(400, 401);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_client");
    }

    [Fact]
    public async Task When_an_admin_creates_a_department_client_its_secret_works_once_shown_and_a_revocation_ends_it()
    {
        // The gateway knows departments from the catalogue's events.
        var department = TestEvents.NewCode("D");
        var defined = new DepartmentDefined(Guid.NewGuid(), DateTimeOffset.UtcNow, department, "Sở thử", "Test department");
        await gateway.DeliverAsync(defined);
        var admin = await gateway.SignedInAsync("admin", await gateway.DevelopmentSecretAsync("admin"));

        var created = await admin.PostAsJsonAsync(
            "/api/clients",
            new
            {
                role = "department",
                department,
                description = "in-process",
            }
        );

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var credentials = await created.Content.ReadFromJsonAsync<JsonElement>();
        var clientId = credentials.GetProperty("clientId").GetString()!;
        var secret = credentials.GetProperty("clientSecret").GetString()!;
        clientId.Should().StartWith($"dept-{department.ToLowerInvariant()}-");
        created.Headers.Location!.ToString().Should().Be($"/api/clients/{clientId}");
        var shown = await admin.GetFromJsonAsync<JsonElement>($"/api/clients/{clientId}");
        shown.TryGetProperty("clientSecret", out _).Should().BeFalse("a secret is shown once, at creation");
        shown.GetProperty("department").GetString().Should().Be(department);
        (await gateway.RequestTokenAsync(clientId, secret)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await admin.DeleteAsync($"/api/clients/{clientId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        ((int)(await gateway.RequestTokenAsync(clientId, secret)).StatusCode).Should().BeOneOf(400, 401);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/clients/{clientId}"))
            .GetProperty("revokedAt")
            .ValueKind.Should()
            .NotBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("""{"role":"emperor"}""", "role")]
    [InlineData("""{"role":"department"}""", "department")]
    public async Task When_a_client_definition_is_invalid_it_gets_422_naming_the_field(string body, string field)
    {
        var admin = await gateway.SignedInAsync("admin", await gateway.DevelopmentSecretAsync("admin"));

        var response = await admin.PostAsync("/api/clients", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    [Fact]
    public async Task When_a_viewer_or_no_one_administers_clients_it_gets_403_or_401()
    {
        var viewer = await gateway.SignedInAsync("viewer", await gateway.DevelopmentSecretAsync("viewer"));

        (await viewer.GetAsync("/api/clients")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await gateway.CreateClient().GetAsync("/api/clients")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

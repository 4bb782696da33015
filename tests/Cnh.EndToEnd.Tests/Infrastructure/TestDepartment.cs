namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A department of one test's own (code E2E-…), made through the admin API, with the development client the gateway
/// makes for it: its subscriptions, deliveries and limits are no other test's.
/// </summary>
public sealed record TestDepartment(string Code, string Client)
{
    public static async Task<TestDepartment> CreateAsync(Platform platform, string role = "unit")
    {
        var code = $"E2E-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        var response = await platform.SendAsync(
            HttpMethod.Put,
            $"/api/catalogue/departments/{code}",
            "admin",
            new { nameVi = $"Đơn vị kiểm thử ({role})", nameEn = $"Test unit ({role})" }
        );
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return new TestDepartment(code, await platform.DepartmentClientAsync(code));
    }
}

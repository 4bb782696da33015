namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A department of one test's own (code E2E-…), made through the admin API, with the development client the gateway
/// makes for it: its subscriptions, deliveries and limits are no other test's.
/// </summary>
public sealed record TestDepartment(string Code, string Client)
{
    public static Task<TestDepartment> CreateAsync(Platform platform, string role = "unit") =>
        DefineAsync(
            platform,
            $"E2E-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}",
            $"Đơn vị kiểm thử ({role})",
            $"Test unit ({role})"
        );

    /// <summary>Defines the department in the catalogue and waits for the client the gateway makes for it.</summary>
    public static async Task<TestDepartment> DefineAsync(Platform platform, string code, string nameVi, string nameEn)
    {
        var response = await platform.SendAsync(HttpMethod.Put, $"/api/catalogue/departments/{code}", "admin", new { nameVi, nameEn });
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return new TestDepartment(code, await platform.DepartmentClientAsync(code));
    }
}

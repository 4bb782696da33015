using Cnh.Contracts;
using Cnh.Gateway.Data;
using Cnh.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cnh.Gateway.Tests.InProcess;

/// <summary>The gateway's list of departments against the real database.</summary>
public class DepartmentReplicaTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task When_two_definitions_of_a_department_arrive_at_once_the_later_one_wins()
    {
        // Many departments, so that the two definitions of some are surely consumed at the same moment.
        var codes = Enumerable.Range(0, 20).Select(_ => TestEvents.NewCode("D")).ToList();
        var first = DateTimeOffset.UtcNow;
        foreach (var code in codes)
            await gateway.DeliverAsync(new DepartmentDefined(Guid.NewGuid(), first, code, "Sở cũ", "Old name"));

        var later = codes
            .SelectMany(code =>
                new[]
                {
                    new DepartmentDefined(Guid.NewGuid(), first.AddMinutes(2), code, "Sở mới", "New name"),
                    new DepartmentDefined(Guid.NewGuid(), first.AddMinutes(1), code, "Sở giữa", "Middle name"),
                }
            )
            .ToList();
        await gateway.DeliverTogetherAsync(later);

        await using var scope = gateway.Services.CreateAsyncScope();
        var names = await scope
            .ServiceProvider.GetRequiredService<GatewayDb>()
            .Departments.Where(d => codes.Contains(d.Code))
            .Select(d => d.NameEn)
            .ToListAsync();
        names.Should().HaveCount(codes.Count).And.OnlyContain(n => n == "New name");
    }
}

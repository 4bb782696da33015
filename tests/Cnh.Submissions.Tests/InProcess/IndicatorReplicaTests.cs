using Cnh.Submissions.Data;
using Cnh.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cnh.Submissions.Tests.InProcess;

/// <summary>The catalogue replica against the real database.</summary>
public class IndicatorReplicaTests(ServiceFactory<Program> submissions) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task When_two_versions_of_an_indicator_arrive_at_once_the_replica_ends_at_the_higher()
    {
        // Many indicators, so that the two versions of some are surely consumed at the same moment.
        var codes = Enumerable.Range(0, 20).Select(_ => TestEvents.NewCode()).ToList();
        foreach (var code in codes)
            await submissions.DeliverAsync(TestEvents.IndicatorDefined(code, "TC"));

        var later = codes
            .SelectMany(code =>
                new[] { TestEvents.IndicatorDefined(code, "TC", version: 3), TestEvents.IndicatorDefined(code, "TC", version: 2) }
            )
            .ToList();
        await submissions.DeliverTogetherAsync(later);

        await using var scope = submissions.Services.CreateAsyncScope();
        var versions = await scope
            .ServiceProvider.GetRequiredService<SubmissionsDb>()
            .Indicators.Where(i => codes.Contains(i.Code))
            .Select(i => i.Version)
            .ToListAsync();
        versions.Should().HaveCount(codes.Count).And.OnlyContain(v => v == 3);
    }
}

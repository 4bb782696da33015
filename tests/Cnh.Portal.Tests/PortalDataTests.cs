using System.Net;
using System.Text;
using Cnh.Portal.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cnh.Portal.Tests;

/// <summary>The portal's reader of the APIs, against a stand-in gateway that answers canned JSON (or fails).</summary>
public class PortalDataTests
{
    sealed class StandInGateway : HttpMessageHandler
    {
        public string ScoresCalculatedAt = "2026-08-15T01:00:00Z";
        public bool Down;
        public string? Failing;
        public List<string> Asked { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var path = request.RequestUri!.PathAndQuery;
            lock (Asked)
                Asked.Add(path);
            if (Down || (Failing is not null && path.StartsWith(Failing)))
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway));
            var json = path switch
            {
                "/api/scores/indicators" => $$"""
                    [{"code":"KT01","group":"KT","status":"OnTrack","score":3.1,"result":null,
                    "calculatedAt":"{{ScoresCalculatedAt}}","cause":"x","thresholds":null}]
                    """,
                "/api/scores" => """
                    {"compositeIndex":3.1,"groups":[{"group":"KT","score":3.1,"coverage":1,"scored":1,"total":1}],
                    "countsByStatus":{"OnTrack":1},"total":1,"previousYear":null,"previousCompositeIndex":null}
                    """,
                "/api/catalogue/indicators" => """
                    [{"code":"KT01","group":"KT","nameVi":"Thu nhập","nameEn":"Income","unit":"USD",
                    "direction":"increase","baseline":null,"targets":[],"responsibleDepartment":"TC",
                    "coordinatingDepartments":[],"reportingFrequency":"annual","confidence":"documented","source":null,
                    "nationalAlignment":null,"dueDays":90,"version":1,"retired":false,
                    "updatedAt":"2026-01-01T00:00:00Z"}]
                    """,
                "/api/catalogue/groups" => """[{"code":"KT","nameVi":"Kinh tế","nameEn":"Economy","expectedCount":1,"indicatorCount":1}]""",
                "/api/catalogue/departments" => """[{"code":"TC","nameVi":"Sở Tài chính","nameEn":"Department of Finance"}]""",
                _ when path.StartsWith("/api/submissions/completeness") => """
                    {"period":"2025","asOf":"2026-08-15T00:00:00Z","departments":[{"department":"TC","expected":1,
                    "onTime":0,"late":0,"missing":0,"notYetDue":1,"items":[{"indicatorCode":"KT01","period":"2025",
                    "dueDate":"2026-03-31","state":"notYetDue","firstReceivedAt":null}]}]}
                    """,
                _ when path.StartsWith("/api/notifications") => "[]",
                _ => throw new InvalidOperationException(path),
            };
            return Task.FromResult(
                new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") }
            );
        }
    }

    static (PortalData Data, StandInGateway Gateway, FakeTimeProvider Clock) Create()
    {
        var gateway = new StandInGateway();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 8, 15, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services
            .AddHttpClient<PlatformApi>(c => c.BaseAddress = new Uri("http://gateway.test"))
            .ConfigurePrimaryHttpMessageHandler(() => gateway);
        var provider = services.BuildServiceProvider();
        var data = new PortalData(
            provider.GetRequiredService<IServiceScopeFactory>(),
            clock,
            Options.Create(new PortalApiOptions()),
            NullLogger<PortalData>.Instance
        );
        return (data, gateway, clock);
    }

    [Fact]
    public async Task When_nothing_changed_only_the_indicators_scores_are_asked()
    {
        var (data, gateway, clock) = Create();
        await data.RefreshAsync(CancellationToken.None);
        data.Current.HasData.Should().BeTrue();
        data.Current.NextDue.Should().Be(new DateOnly(2026, 3, 31));
        gateway.Asked.Clear();

        clock.Advance(TimeSpan.FromSeconds(2));
        await data.RefreshAsync(CancellationToken.None);

        gateway.Asked.Should().Equal("/api/scores/indicators");
        data.Current.AsOf.Should().Be(clock.GetUtcNow());
    }

    [Fact]
    public async Task When_a_score_changes_everything_is_read_again_and_open_pages_are_told()
    {
        var (data, gateway, clock) = Create();
        await data.RefreshAsync(CancellationToken.None);
        var told = 0;
        data.Changed += _ => told++;

        gateway.ScoresCalculatedAt = "2026-08-15T02:00:00Z";
        clock.Advance(TimeSpan.FromSeconds(2));
        await data.RefreshAsync(CancellationToken.None);

        told.Should().Be(1);
        gateway.Asked.Should().Contain("/api/scores").And.Contain(p => p.StartsWith("/api/notifications"));
        data.Current.ScoreOf("KT01")!.CalculatedAt.Should().Be(DateTimeOffset.Parse("2026-08-15T02:00:00Z"));
    }

    [Fact]
    public async Task When_one_API_fails_the_others_news_still_reaches_the_pages_marked_stale()
    {
        var (data, gateway, clock) = Create();
        await data.RefreshAsync(CancellationToken.None);

        gateway.Failing = "/api/notifications";
        gateway.ScoresCalculatedAt = "2026-08-15T03:00:00Z";
        clock.Advance(TimeSpan.FromSeconds(2));
        await data.RefreshAsync(CancellationToken.None);

        data.Current.ScoreOf("KT01")!.CalculatedAt.Should().Be(DateTimeOffset.Parse("2026-08-15T03:00:00Z"));
        data.Current.Stale.Should().BeTrue("the alerts shown are older than the rest");

        gateway.Failing = null;
        clock.Advance(TimeSpan.FromSeconds(2));
        await data.RefreshAsync(CancellationToken.None);
        data.Current.Stale.Should().BeFalse("a stale reading is read again in full at the next tick");
    }

    [Fact]
    public async Task When_the_gateway_is_down_the_last_data_stays_marked_stale_with_its_time()
    {
        var (data, gateway, clock) = Create();
        await data.RefreshAsync(CancellationToken.None);
        var readAt = data.Current.AsOf;

        gateway.Down = true;
        clock.Advance(TimeSpan.FromMinutes(5));
        await data.StartAsync(CancellationToken.None);
        for (var i = 0; i < 100 && !data.Current.Stale; i++)
            await Task.Delay(50);
        await data.StopAsync(CancellationToken.None);

        data.Current.Stale.Should().BeTrue();
        data.Current.AsOf.Should().Be(readAt, "the page says when its data was read");
        data.Current.Indicators.Should().ContainSingle(i => i.Code == "KT01");
    }
}

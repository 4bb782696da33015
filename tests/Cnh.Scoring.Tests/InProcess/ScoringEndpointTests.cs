using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.Scoring.Recalculation;
using Cnh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cnh.Scoring.Tests.InProcess;

/// <summary>Scoring in process: definitions and accepted values arrive as events; scores are read from the real API.</summary>
public class ScoringEndpointTests(ServiceFactory<Program> scoring) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task When_a_value_arrives_the_indicator_is_scored_by_the_method_and_IndicatorScored_is_published_with_the_aggregates()
    {
        // Base 50 (2020), at least 100 by 2030, 70 in 2024: g_o = 1.4^(1/4) − 1, g_r = 2^(1/10) − 1, p = g_o / g_r.
        var code = await scoring.DefineIndicatorAsync("TC");
        var accepted = Accepted(code, "2024", 70);

        await scoring.Harness.Bus.Publish(accepted);

        (await scoring.Harness.PublishedCountAsync<IndicatorScored>(x => x.TriggeredBySubmissionId == accepted.SubmissionId))
            .Should()
            .Be(1);
        var score = await scoring.AsViewer().GetFromJsonAsync<JsonElement>($"/api/scores/indicators/{code}");
        var p = (Math.Pow(1.4, 0.25) - 1) / (Math.Pow(2, 0.1) - 1);
        score.GetProperty("result").GetProperty("progressValue").GetDouble().Should().BeApproximately(p, 1e-9);
        score.GetProperty("status").GetString().Should().Be("OnTrack");
        score.GetProperty("cause").GetString().Should().Be($"submission {accepted.SubmissionId} revision 1");
        // The event carries the aggregates too (DESIGN's contract); this indicator's score is among those they average.
        var scored = scoring
            .Harness.Published.Select<IndicatorScored>(x => x.Context.Message.TriggeredBySubmissionId == accepted.SubmissionId)
            .Single()
            .Context.Message;
        scored.GroupScore.Should().NotBeNull();
        scored.CompositeIndex.Should().NotBeNull();
    }

    [Fact]
    public async Task When_the_same_value_is_delivered_twice_it_is_counted_once()
    {
        var code = await scoring.DefineIndicatorAsync("TC");
        var accepted = Accepted(code, "2023", 60);

        await scoring.Harness.Bus.Publish(accepted);
        await scoring.Harness.Bus.Publish(accepted);

        (await scoring.Harness.ConsumedCountAsync<SubmissionAccepted>(m => m.EventId == accepted.EventId, 2)).Should().Be(2);
        var observations = await scoring.AsViewer().GetFromJsonAsync<JsonElement>($"/api/scores/indicators/{code}/observations");
        observations.GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task When_a_batch_part_is_delivered_twice_each_value_is_stored_once_and_the_indicator_scored_on_them()
    {
        var code = await scoring.DefineIndicatorAsync("TC");
        var other = await scoring.DefineIndicatorAsync("TC");
        var values = new[] { Accepted(code, "2022", 55), Accepted(code, "2023", 60), Accepted(other, "2024", 70) };
        var part = new SubmissionBatchAccepted(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), values);

        await scoring.Harness.Bus.Publish(part);
        await scoring.Harness.Bus.Publish(part with { EventId = Guid.NewGuid() });

        (await scoring.Harness.ConsumedCountAsync<SubmissionBatchAccepted>(m => m.BatchId == part.BatchId, 2)).Should().Be(2);
        var observations = await scoring.AsViewer().GetFromJsonAsync<JsonElement>($"/api/scores/indicators/{code}/observations");
        observations.EnumerateArray().Select(o => o.GetProperty("value").GetDouble()).Should().BeEquivalentTo([55.0, 60.0]);
        await ScoreOnceAsync($"/api/scores/indicators/{code}", currentValue: 60);
        await ScoreOnceAsync($"/api/scores/indicators/{other}", currentValue: 70);
    }

    [Fact]
    public async Task When_more_values_are_pending_than_one_recalculation_takes_the_rest_are_taken_by_the_next_and_every_one_credited()
    {
        // Revisions of one value: one more than a recalculation takes.
        var limit = scoring.Services.GetRequiredService<IOptions<ScoringOptions>>().Value.MaxValuesPerRecalculation;
        var code = await scoring.DefineIndicatorAsync("TC");
        var values = Enumerable.Range(1, limit + 1).Select(i => Accepted(code, "2024", 50 + i % 7) with { Revision = i }).ToList();

        await scoring.Harness.Bus.Publish(new SubmissionBatchAccepted(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), values));

        var expected = values.Select(v => v.SubmissionId).ToHashSet();
        List<IndicatorScored> Scored() =>
            scoring
                .Harness.Published.Select<IndicatorScored>(x => x.Context.Message.IndicatorCode == code)
                .Select(x => x.Context.Message)
                .ToList();
        var credited = await Eventually.Async(
            () => Task.FromResult(Scored().SelectMany(e => e.AllTriggeringSubmissions).ToHashSet()),
            ids => ids.IsSupersetOf(expected),
            what: $"every one of the {values.Count} submissions of {code} to be credited"
        );
        credited.Should().BeEquivalentTo(expected);
        Scored().Select(e => e.AllTriggeringSubmissions.Count).Should().Equal(limit, 1);
        await ScoreOnceAsync($"/api/scores/indicators/{code}", currentValue: values[^1].Value);
    }

    [Fact]
    public async Task When_values_are_official_as_they_come_or_accepted_later_the_official_view_scores_only_those()
    {
        var code = await scoring.DefineIndicatorAsync("TC");
        // 2023 is official as it comes (a catalogue without approval); 2024's revision 1 is accepted later, revision 2 not.
        var official2023 = Accepted(code, "2023", 60) with { Official = true };
        var first2024 = Accepted(code, "2024", 70);
        var second2024 = Accepted(code, "2024", 80) with { Revision = 2 };
        foreach (var value in new[] { official2023, first2024, second2024 })
            await scoring.DeliverAsync(value);
        await scoring.DeliverAsync(
            new SubmissionMadeOfficial(
                Guid.NewGuid(),
                DateTimeOffset.UtcNow,
                first2024.SubmissionId,
                1,
                "TC",
                code,
                "2024",
                70,
                "statistics"
            )
        );

        // Consumed is not yet scored: the indicator is rescored in the background for the values that arrived meanwhile.
        var provisional = await ScoreOnceAsync($"/api/scores/indicators/{code}", currentValue: 80);
        provisional.GetProperty("basis").GetString().Should().Be("provisional", "2024's latest revision is not accepted");
        provisional.GetProperty("result").GetProperty("currentValue").GetDouble().Should().Be(80);
        var official = await ScoreOnceAsync($"/api/scores/indicators/{code}?basis=official", currentValue: 70);
        official.GetProperty("basis").GetString().Should().Be("official");
        official.GetProperty("result").GetProperty("currentValue").GetDouble().Should().Be(70);
        var observations = await scoring.AsViewer().GetFromJsonAsync<JsonElement>($"/api/scores/indicators/{code}/observations");
        observations.EnumerateArray().Select(o => o.GetProperty("official").GetBoolean()).Should().Equal(true, false);
        (await scoring.AsViewer().GetAsync("/api/scores/indicators?basis=mine")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task When_an_unknown_indicator_is_asked_for_it_gets_404_problem_details()
    {
        var response = await scoring.AsViewer().GetAsync($"/api/scores/indicators/{TestEvents.NewCode()}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task When_no_token_is_sent_the_scores_answer_401()
    {
        (await scoring.ClientWith(null).GetAsync("/api/scores")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    /// <summary>The score at <paramref name="url"/> once the background rescoring has reached the expected current value.</summary>
    Task<JsonElement> ScoreOnceAsync(string url, double currentValue) =>
        Eventually.Async(
            () => scoring.AsViewer().GetFromJsonAsync<JsonElement>(url),
            score =>
                score.GetProperty("result") is { ValueKind: JsonValueKind.Object } result
                && result.GetProperty("currentValue").GetDouble() == currentValue,
            what: $"{url} to score current value {currentValue}"
        );

    static SubmissionAccepted Accepted(string code, string period, double value) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, Guid.NewGuid(), 1, "TC", code, period, value, "dept-tc", DateTimeOffset.UtcNow);
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cnh.Contracts;
using Cnh.EndToEnd.Tests.Infrastructure;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class IdempotencyTests(Platform platform)
{
    [Fact]
    public async Task When_scoring_receives_the_same_submission_twice_the_second_delivery_changes_nothing()
    {
        await using var indicator = await TestIndicator.CreateAsync(platform);
        var response = await platform.SubmitAsync(TestIndicator.Client, indicator.Code, "2023", 7.6);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetGuid();
        await Eventually.Async(
            () => platform.GetJsonAsync($"/api/submissions/{id}", TestIndicator.Client),
            s => s.GetProperty("status").GetString() == "Scored",
            what: "first delivery scored"
        );

        // The very event the outbox published, event id and all.
        var payload = (
            await platform.Sandbox.TextAsync(
                "submissions",
                "SELECT payload::text FROM outbox_messages WHERE message_type = 'Cnh.Contracts.SubmissionAccepted' AND "
                    + "payload->>'submissionId' = @id",
                ("id", id.ToString())
            )
        )!;
        var original = JsonSerializer.Deserialize<SubmissionAccepted>(payload, JsonSerializerOptions.Web)!;
        var before = await ScoringStateAsync(id);
        before.Should().Be((1L, 1L, 1L, 1L));

        await platform.RedeliverAsync(original, "scoring");

        (await ScoringStateAsync(id)).Should().Be(before);
        var score = await platform.GetJsonAsync($"/api/scores/indicators/{indicator.Code}", "viewer");
        score.GetProperty("cause").GetString().Should().Be($"submission {id} revision 1");
    }

    /// <summary>Observations, snapshots, IndicatorScored events in the outbox, and inbox rows for this submission.</summary>
    async Task<(long Observations, long Snapshots, long ScoredEvents, long Processed)> ScoringStateAsync(Guid id) =>
        (
            await platform.ScalarAsync("scoring", "SELECT count(*) FROM observations WHERE submission_id = @id", ("id", id)),
            await platform.ScalarAsync(
                "scoring",
                "SELECT count(*) FROM score_snapshots WHERE cause LIKE '%' || @id || '%'",
                ("id", id.ToString())
            ),
            await platform.ScalarAsync(
                "scoring",
                "SELECT count(*) FROM outbox_messages WHERE message_type = 'Cnh.Contracts.IndicatorScored' AND "
                    + "payload->>'triggeredBySubmissionId' = @id",
                ("id", id.ToString())
            ),
            await ProcessedForAsync(id)
        );

    async Task<long> ProcessedForAsync(Guid submissionId)
    {
        var payload = (
            await platform.Sandbox.TextAsync(
                "submissions",
                "SELECT payload::text FROM outbox_messages WHERE message_type = 'Cnh.Contracts.SubmissionAccepted' AND "
                    + "payload->>'submissionId' = @id",
                ("id", submissionId.ToString())
            )
        )!;
        var eventId = JsonSerializer.Deserialize<SubmissionAccepted>(payload, JsonSerializerOptions.Web)!.EventId;
        return await platform.ScalarAsync("scoring", "SELECT count(*) FROM processed_messages WHERE message_id = @eid", ("eid", eventId));
    }
}

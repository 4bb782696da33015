using Cnh.Contracts;

namespace Cnh.Notifications.Tests;

/// <summary>
/// The published test vector (README, "Webhook signatures"): a receiver written in any language checks its own
/// implementation against these numbers, and this test keeps the platform's side to them.
/// </summary>
public class WebhookSignatureTests
{
    const string Secret = "whsec_test_4f2a";
    const long Timestamp = 1767225600; // 2026-01-01T00:00:00Z
    const string Body = """{"alertId":"00000000-0000-0000-0000-000000000001","kind":"FellBehind"}""";
    const string Expected = "sha256=d029d67a6db589b4b7274cede7fc467702c3d6cfea6804f60413d217eb05ab62";
    static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void When_the_published_vector_is_signed_it_gives_the_published_signature() =>
        WebhookSignature.Sign(Secret, Timestamp, Body).Should().Be(Expected);

    [Fact]
    public void When_a_receiver_verifies_the_vector_within_five_minutes_it_holds() =>
        WebhookSignature.Verify(Secret, "1767225600", Body, Expected, At.AddMinutes(4)).Should().BeTrue();

    [Theory]
    [InlineData("another-secret", "1767225600", Body, 0)]
    [InlineData(Secret, "1767225601", Body, 0)]
    [InlineData(Secret, "1767225600", """{"alertId":"00000000-0000-0000-0000-000000000001","kind":"Recovered"}""", 0)]
    [InlineData(Secret, "1767225600", Body, 6)]
    [InlineData(Secret, "not-a-number", Body, 0)]
    public void When_anything_differs_or_the_call_is_older_than_five_minutes_it_fails(
        string secret,
        string timestamp,
        string body,
        int minutesLater
    ) => WebhookSignature.Verify(secret, timestamp, body, Expected, At.AddMinutes(minutesLater)).Should().BeFalse();
}

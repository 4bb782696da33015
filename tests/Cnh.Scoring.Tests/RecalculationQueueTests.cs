using Cnh.Scoring.Recalculation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cnh.Scoring.Tests;

public class RecalculationQueueTests
{
    readonly FakeTimeProvider _clock = new();
    readonly RecalculationQueue _queue;

    public RecalculationQueueTests() =>
        _queue = new RecalculationQueue(Options.Create(new ScoringOptions { MinRecalculationIntervalMilliseconds = 200 }), _clock);

    [Fact]
    public async Task When_an_indicator_gets_values_while_queued_it_is_rescored_once()
    {
        _queue.Enqueue("KT01");
        _queue.Enqueue("KT01");
        _queue.Enqueue("KT02");

        (await _queue.DequeueAsync(default)).Should().Be("KT01");
        (await _queue.DequeueAsync(default)).Should().Be("KT02");
        _queue.DequeueAsync(default).IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task When_an_indicator_was_just_rescored_its_next_recalculation_waits_for_the_interval()
    {
        _queue.Enqueue("KT01");
        await _queue.DequeueAsync(default);

        _queue.Enqueue("KT01");
        var next = _queue.DequeueAsync(default).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(150));
        await Task.Delay(50);
        next.IsCompleted.Should().BeFalse();

        _clock.Advance(TimeSpan.FromMilliseconds(50));
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("KT01");
    }

    [Fact]
    public async Task When_the_interval_has_passed_the_indicator_is_rescored_at_once()
    {
        _queue.Enqueue("KT01");
        await _queue.DequeueAsync(default);
        _clock.Advance(TimeSpan.FromMilliseconds(250));

        _queue.Enqueue("KT01");

        _queue.DequeueAsync(default).IsCompleted.Should().BeTrue();
    }
}

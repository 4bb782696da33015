namespace Cnh.ServiceDefaults;

/// <summary>A clock that reads <paramref name="start"/> when created and then advances with <paramref name="inner"/>.</summary>
public sealed class ShiftedTimeProvider(DateTimeOffset start, TimeProvider inner) : TimeProvider
{
    readonly TimeSpan _offset = start - inner.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + _offset;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}

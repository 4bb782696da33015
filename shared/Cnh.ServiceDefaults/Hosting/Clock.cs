using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Cnh.ServiceDefaults;

/// <summary>
/// The clock every service reads (<see cref="TimeProvider"/> in DI). <c>Clock:Now</c> (an ISO 8601 instant) starts it
/// at that moment instead of today and lets it run on at the real pace — for rehearsing a reporting deadline, and for
/// tests that must not depend on the day they run. Unset, it is the system clock.
/// </summary>
public static class Clock
{
    public static TimeProvider FromConfiguration(IConfiguration configuration) =>
        configuration["Clock:Now"] is { Length: > 0 } start
            ? new ShiftedTimeProvider(
                DateTimeOffset.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                TimeProvider.System
            )
            : TimeProvider.System;
}

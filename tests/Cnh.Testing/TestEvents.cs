using Cnh.Contracts;

namespace Cnh.Testing;

/// <summary>The events other services would publish, as an in-process test hands them to the service under test.</summary>
public static class TestEvents
{
    /// <summary>A new code each call, so tests sharing one service never share an indicator.</summary>
    public static string NewCode(string prefix = "IT") => $"{prefix}-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

    /// <summary>An annual "increase" indicator in group KT: at least 100 by 2030, base 50 in 2020 unless told otherwise.</summary>
    public static IndicatorDefined IndicatorDefined(
        string code,
        string department,
        string frequency = "annual",
        int version = 1,
        BaselineDto? baseline = null,
        IReadOnlyList<TargetDto>? targets = null,
        IReadOnlyList<string>? coordinating = null
    ) =>
        new(
            Guid.NewGuid(),
            DateTimeOffset.UtcNow,
            "hanoi-cnh-hdh-2030",
            code,
            "KT",
            $"Chỉ tiêu thử {code}",
            $"Test indicator {code}",
            "điểm",
            "increase",
            baseline ?? new BaselineDto(2020, 50),
            targets ?? [new TargetDto(2030, 100, null, ">=")],
            department,
            coordinating ?? [],
            frequency,
            1,
            "inferred",
            version,
            false
        );
}

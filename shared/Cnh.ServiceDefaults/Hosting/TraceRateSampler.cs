using OpenTelemetry.Trace;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Samples at most <c>perSecond</c> new traces per second in this process (a token bucket holding one second's worth):
/// a quiet platform traces every request — the trace of a value submitted by hand is always there — while one under
/// load keeps the cost of tracing flat instead of spending as much CPU on spans as on the work. Used for the root of a
/// trace only; a trace that began upstream is kept or dropped whole (<see cref="ParentBasedSampler"/>).
/// </summary>
public sealed class TraceRateSampler : Sampler
{
    readonly double _perSecond;
    readonly TimeProvider _time;
    readonly Lock _gate = new();
    double _tokens;
    long _refilledAt;

    public TraceRateSampler(double perSecond, TimeProvider time)
    {
        _perSecond = Math.Max(0, perSecond);
        _time = time;
        _tokens = _perSecond;
        _refilledAt = time.GetTimestamp();
        Description = $"TraceRateSampler{{{_perSecond}/s}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_perSecond, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond);
            _refilledAt = now;
            if (_tokens < 1)
                return new SamplingResult(SamplingDecision.Drop);
            _tokens--;
            return new SamplingResult(SamplingDecision.RecordAndSample);
        }
    }
}

namespace Cnh.ServiceDefaults;

/// <summary>How long the rows that serve only a window of time are kept (section <c>Retention</c>), and how they go.</summary>
public sealed class RetentionOptions
{
    /// <summary>Published events stay in the outbox this long after they were sent, for an operator to look one up.</summary>
    public double SentEventsDays { get; set; } = 7;

    /// <summary>
    /// Consumed event ids are remembered this long. A redelivery comes within minutes (a broker reconnecting, an outbox
    /// mark lost in a crash); one later than this would be processed again.
    /// </summary>
    public double ProcessedEventsDays { get; set; } = 30;

    public double IntervalMinutes { get; set; } = 60;

    /// <summary>Rows deleted per statement, so that no pass holds locks or bloats the WAL for long.</summary>
    public int RowsPerStatement { get; set; } = 5000;
}

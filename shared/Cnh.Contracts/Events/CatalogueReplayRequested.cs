namespace Cnh.Contracts;

/// <summary>
/// Asks the catalogue to republish every definition. Published by <b>submissions</b> and <b>scoring</b> when their copy
/// of the catalogue is empty or behind (a new replica, a restored database). Consumed by the <b>catalogue</b>, which
/// answers with one <see cref="IndicatorDefined"/> per indicator.
/// </summary>
public sealed record CatalogueReplayRequested(Guid EventId, DateTimeOffset OccurredAt, string RequestedBy) : IIntegrationEvent;

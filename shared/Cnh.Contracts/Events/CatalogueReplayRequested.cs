namespace Cnh.Contracts;

/// <summary>
/// Asks the catalogue to republish every definition. Published by <b>submissions</b>, <b>scoring</b> and the
/// <b>gateway</b> at every start, so that what was published while they were down (or before their queue existed)
/// reaches them. Consumed by the <b>catalogue</b>, which answers with one <see cref="DepartmentDefined"/> per department
/// and one <see cref="IndicatorDefined"/> per indicator.
/// </summary>
public sealed record CatalogueReplayRequested(Guid EventId, DateTimeOffset OccurredAt, string RequestedBy) : IIntegrationEvent;

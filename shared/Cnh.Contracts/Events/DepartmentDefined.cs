namespace Cnh.Contracts;

/// <summary>
/// A department (Sở) and its names. Published by the <b>catalogue</b> when a department is created or renamed, at first
/// load and on <see cref="CatalogueReplayRequested"/>. Consumed by the <b>gateway</b>, which gives API clients only to
/// departments it knows (and, in development, a client to each).
/// </summary>
public sealed record DepartmentDefined(Guid EventId, DateTimeOffset OccurredAt, string Code, string NameVi, string NameEn)
    : IIntegrationEvent;

using Cnh.Contracts;
using Cnh.ServiceDefaults;
using Cnh.Submissions.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Submissions.Inbound;

/// <summary>
/// Keeps the local replica at the highest version seen, so replays and reordering change nothing (no inbox needed). Two
/// versions of one indicator consumed at once (the catalogue's relay publishes a claim's events together) take turns
/// on the indicator's lock: otherwise both read the old row and the lower version, saved last, would win.
/// </summary>
public sealed class IndicatorDefinedConsumer(SubmissionsDb db) : IConsumer<IndicatorDefined>
{
    public async Task Consume(ConsumeContext<IndicatorDefined> context)
    {
        var m = context.Message;
        await using var tx = await db.Database.BeginTransactionAsync(context.CancellationToken);
        await db.Database.LockAsync("submissions.indicator-replica", m.Code, context.CancellationToken);
        var replica = await db.Indicators.FirstOrDefaultAsync(i => i.Code == m.Code, context.CancellationToken);
        if (replica is not null && replica.Version >= m.Version)
            return;
        if (replica is null)
        {
            replica = new IndicatorReplica
            {
                Code = m.Code,
                Group = m.Group,
                Unit = m.Unit,
                ResponsibleDepartment = m.ResponsibleDepartment,
                ReportingFrequency = m.ReportingFrequency,
            };
            db.Indicators.Add(replica);
        }
        replica.Group = m.Group;
        replica.Unit = m.Unit;
        replica.ResponsibleDepartment = m.ResponsibleDepartment;
        replica.CoordinatingDepartments = m.CoordinatingDepartments.ToList();
        replica.ReportingFrequency = m.ReportingFrequency;
        replica.DueDays = m.DueDays;
        replica.PlausibleMin = m.PlausibleMin;
        replica.PlausibleMax = m.PlausibleMax;
        replica.Version = m.Version;
        replica.Retired = m.Retired;
        replica.Catalogue = m.Catalogue;
        await db.SaveChangesAsync(context.CancellationToken);
        await tx.CommitAsync(context.CancellationToken);
    }
}

public sealed class IndicatorDefinedConsumerDefinition : RetryingConsumerDefinition<IndicatorDefinedConsumer>;

using Cnh.Contracts;
using Cnh.Scoring.Data;
using Cnh.Scoring.Method;
using Cnh.Scoring.Recalculation;
using Cnh.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Cnh.Scoring.Inbound;

/// <summary>
/// Keeps the definition replica at its highest version and rescores the indicator when its definition changed. No
/// inbox: a redelivered or older definition finds the replica at its version and changes nothing.
/// </summary>
public sealed class IndicatorDefinedConsumer(ScoringDb db, IndicatorRecalculator recalculator, RecalculationQueue queue)
    : IConsumer<IndicatorDefined>
{
    public async Task Consume(ConsumeContext<IndicatorDefined> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await IndicatorRecalculator.LockIndicatorAsync(db, m.Code, ct);
        var replica = await db.Definitions.FirstOrDefaultAsync(d => d.Code == m.Code, ct);
        var newVersion = replica is null || replica.Version < m.Version;
        // An older replica without its Vietnamese name and unit takes them from the replay, without rescoring.
        if (!newVersion && replica!.NameVi is not null)
            return;
        if (replica is null)
        {
            replica = new DefinitionReplica
            {
                Code = m.Code,
                Catalogue = m.Catalogue,
                Group = m.Group,
                NameEn = m.NameEn,
                Direction = m.Direction,
                ResponsibleDepartment = m.ResponsibleDepartment,
            };
            db.Definitions.Add(replica);
        }
        replica.Catalogue = m.Catalogue;
        replica.Group = m.Group;
        replica.NameEn = m.NameEn;
        replica.NameVi = m.NameVi;
        replica.Unit = m.Unit;
        replica.Direction = m.Direction;
        replica.BaselineYear = m.Baseline?.Year;
        replica.BaselineValue = m.Baseline?.Value;
        replica.Targets = m.Targets.Select(t => new Target(t.Year, t.Min, t.Max, t.Op)).ToList();
        replica.ResponsibleDepartment = m.ResponsibleDepartment;
        replica.CoordinatingDepartments = m.CoordinatingDepartments.ToList();
        replica.Version = m.Version;
        replica.Retired = m.Retired;
        await db.SaveChangesAsync(ct);

        if (newVersion && !replica.Retired && await db.Observations.AnyAsync(o => o.IndicatorCode == m.Code, ct))
            await recalculator.RecalculateAsync(replica, $"catalogue version {m.Version}", [], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Values that arrived before the definition are waiting for it.
        queue.Enqueue(m.Code);
    }
}

public sealed class IndicatorDefinedConsumerDefinition : RetryingConsumerDefinition<IndicatorDefinedConsumer>;

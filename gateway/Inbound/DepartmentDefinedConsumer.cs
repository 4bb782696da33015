using Cnh.Contracts;
using Cnh.Gateway.Auth;
using Cnh.Gateway.Data;
using Cnh.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Cnh.Gateway.Inbound;

/// <summary>
/// Keeps the gateway's list of departments as the catalogue defines them (the latest definition wins; a redelivery or
/// a late older one changes nothing, so no inbox is needed). In development a new department also gets its client, <c>dept-{code}</c>,
/// whose
/// secret goes to the development credentials file. Two definitions of one department consumed at once take turns on
/// its lock: otherwise both read the old row and the older, saved last, would win.
/// </summary>
public sealed class DepartmentDefinedConsumer(GatewayDb db, IOpenIddictApplicationManager applications, DevelopmentCredentials development)
    : IConsumer<DepartmentDefined>
{
    public async Task Consume(ConsumeContext<DepartmentDefined> context)
    {
        var (m, ct) = (context.Message, context.CancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.LockAsync("gateway.department", m.Code, ct);
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Code == m.Code, ct);
        if (department is not null && department.DefinedAt >= m.OccurredAt)
            return;
        if (department is null)
            department = db
                .Departments.Add(
                    new KnownDepartment
                    {
                        Code = m.Code,
                        NameVi = m.NameVi,
                        NameEn = m.NameEn,
                    }
                )
                .Entity;
        (department.NameVi, department.NameEn, department.DefinedAt) = (m.NameVi, m.NameEn, m.OccurredAt);

        DevelopmentCredential? credential = null;
        var clientId = $"dept-{m.Code.ToLowerInvariant()}";
        if (development.Enabled && !await db.Clients.AnyAsync(c => c.Department == m.Code || c.ClientId == clientId, ct))
        {
            credential = new DevelopmentCredential(clientId, ClientCredentials.NewSecret(), Roles.Department, m.Code);
            ClientBootstrap.Add(db, credential.ClientId, credential.Role, credential.Department);
            await ClientCredentials.CreateAsync(applications, credential.ClientId, credential.ClientSecret, null, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (credential is not null)
            await development.AddAsync([credential], ct);
    }
}

public sealed class DepartmentDefinedConsumerDefinition : RetryingConsumerDefinition<DepartmentDefinedConsumer>;

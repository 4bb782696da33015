using Microsoft.EntityFrameworkCore;

namespace Cnh.ServiceDefaults;

/// <summary>A DbContext that keeps an audit trail.</summary>
public interface IAuditedDbContext
{
    DbSet<AuditEntry> AuditEntries { get; }
}

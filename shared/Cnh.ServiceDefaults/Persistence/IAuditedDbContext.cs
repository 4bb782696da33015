using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cnh.ServiceDefaults;

/// <summary>A DbContext that keeps an audit trail.</summary>
public interface IAuditedDbContext
{
    DbSet<AuditEntry> AuditEntries { get; }
}

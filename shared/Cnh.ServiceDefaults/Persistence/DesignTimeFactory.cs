using Microsoft.EntityFrameworkCore;

namespace Cnh.ServiceDefaults;

/// <summary>Lets `dotnet ef migrations add` build a service's model without starting the service.</summary>
public abstract class DesignTimeFactory<TDb> : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<TDb>
    where TDb : DbContext
{
    public TDb CreateDbContext(string[] args) =>
        (TDb)
            Activator.CreateInstance(
                typeof(TDb),
                new DbContextOptionsBuilder<TDb>().UseNpgsql("Host=127.0.0.1;Database=design").UseProjectNaming().Options
            )!;
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Cnh.ServiceDefaults;

public static class Persistence
{
    /// <summary>
    /// Registers the service's own DbContext on PostgreSQL (connection string <c>ConnectionStrings:Database</c>),
    /// the outbox signal, and a hosted service that applies migrations before anything else starts.
    /// </summary>
    public static void AddServiceDatabase<TDb>(this IHostApplicationBuilder builder)
        where TDb : DbContext
    {
        var configured = builder.Configuration.GetConnectionString("Database")
            ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured.");
        // Npgsql's default pool of 100 per process lets a few services exhaust the server's connections under load.
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Pool Size", StringComparison.OrdinalIgnoreCase))
            connection.MaxPoolSize = builder.Configuration.GetValue("Database:MaxPoolSize", 30);
        // The same few statements run for every request: prepared once per connection, PostgreSQL stops parsing and
        // planning them again each time.
        if (!configured.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            connection.MaxAutoPrepare = builder.Configuration.GetValue("Database:MaxAutoPrepare", 64);
        // Npgsql resets a pooled connection's session (seven statements) each time it is handed out again; every setting
        // and lock the services take is transaction-local, so there is nothing to reset.
        if (!configured.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
            connection.NoResetOnClose = builder.Configuration.GetValue("Database:NoResetOnClose", true);
        var connectionString = connection.ConnectionString;
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxCommitInterceptor>();
        // Pooled: a request or message reuses a context instead of building one and resolving EF Core's services for it
        // (the contexts hold no state of their own beyond what EF Core resets).
        builder.Services.AddDbContextPool<TDb>(
            (sp, options) =>
                options
                    .UseNpgsql(connectionString, npgsql => npgsql.ConfigureDataSource(TraceStatements))
                    .UseProjectNaming()
                    .AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>())
        );
        builder.Services.AddSingleton<DatabaseMigrator<TDb>>();
        builder.Services.AddSingleton<IDatabaseMigrator>(sp => sp.GetRequiredService<DatabaseMigrator<TDb>>());
        // Several replicas (Kubernetes) migrate once per release, by a job running the service with Database:Migrate=Only;
        // with Off they expect the schema and never race to change it.
        if (MigrationMode(builder.Configuration) == "OnStart")
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator<TDb>>());
        builder.Services.AddHealthChecks().AddDbContextCheck<TDb>("database", tags: ["ready"]);
    }

    /// <summary>
    /// A save refused by a unique index (of <paramref name="constraint"/> when given): another request, instance or
    /// retry stored the same thing first.
    /// </summary>
    public static bool IsUniqueViolation(this DbUpdateException e, string? constraint = null) =>
        e.InnerException is Npgsql.PostgresException p && p.IsUniqueViolation(constraint);

    /// <inheritdoc cref="IsUniqueViolation(DbUpdateException, string?)"/>
    /// <remarks>For a statement sent without EF Core, whose failure is PostgreSQL's own exception.</remarks>
    public static bool IsUniqueViolation(this Npgsql.PostgresException e, string? constraint = null) =>
        e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && (constraint is null || e.ConstraintName == constraint);

    /// <summary>
    /// A real conflict with another writer — a unique index or a concurrency token said so — which a client resolves by
    /// reading again and retrying (409). Any other failure to save is the server's, not the client's.
    /// </summary>
    public static bool IsConflict(this DbUpdateException e) => e is DbUpdateConcurrencyException || e.IsUniqueViolation();

    /// <summary>
    /// snake_case names for everything in the model (raw SQL result types included), EF's migrations history excepted.
    /// The services and `dotnet ef` both use it, so a migration describes the schema the services expect.
    /// </summary>
    public static DbContextOptionsBuilder UseProjectNaming(this DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention().ReplaceService<IHistoryRepository, MigrationsHistory>();

    /// <summary>
    /// Statements are spans of the request or message they serve, named after what they do ("INSERT submissions"). The
    /// background loops (outbox relay, recalculation and delivery polling) query every second or faster outside any
    /// trace: each poll would be a trace of its own, burying the ones people look for, so those are not traced.
    /// </summary>
    static void TraceStatements(Npgsql.NpgsqlDataSourceBuilder dataSource) =>
        dataSource.ConfigureTracing(tracing =>
            tracing
                .ConfigureCommandFilter(_ => InTrace)
                .ConfigureBatchFilter(_ => InTrace)
                .ConfigureCopyOperationFilter(_ => InTrace)
                .ConfigureCommandSpanNameProvider(command => StatementName(command.CommandText))
                .ConfigureBatchSpanNameProvider(batch =>
                    BatchName(batch.BatchCommands.Select(static (Npgsql.NpgsqlBatchCommand c) => c.CommandText))
                )
                .EnablePhysicalOpenTracing(false)
                .EnableFirstResponseEvent(false)
        );

    // A request or message whose trace is not sampled still has an activity (to pass its context on): no spans for it.
    static bool InTrace => System.Diagnostics.Activity.Current is { Recorded: true };

    /// <summary>A batch (EF's SaveChanges) is named after what it changes: "INSERT submissions, INSERT outbox_messages".</summary>
    public static string BatchName(IEnumerable<string> statements) =>
        string.Join(", ", statements.Select(StatementName).Where(n => n is not ("SAVEPOINT" or "RELEASE")).Distinct().Take(3))
            is { Length: > 0 } name
            ? name
            : "batch";

    /// <summary>The statement's verb and first table: "SELECT indicator_replicas", "INSERT submissions".</summary>
    public static string StatementName(string sql)
    {
        var words = sql.Split([' ', '\n', '\r', '\t', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return "postgresql";
        var verb = words[0].ToUpperInvariant();
        var after = verb switch
        {
            "SELECT" or "DELETE" => "FROM",
            "INSERT" => "INTO",
            "UPDATE" => "UPDATE",
            "COPY" => "COPY",
            _ => null,
        };
        var at = after is null ? -1 : Array.FindIndex(words, w => w.Equals(after, StringComparison.OrdinalIgnoreCase));
        var table = at >= 0 && at + 1 < words.Length ? words[at + 1].Trim('"') : null;
        // "FROM (SELECT …)": a subquery, not a table.
        return table is null || table.Equals("SELECT", StringComparison.OrdinalIgnoreCase) ? verb : $"{verb} {table}";
    }

    /// <summary>Stores a value object as jsonb (System.Text.Json, web defaults), compared by its JSON.</summary>
    public static PropertyBuilder<T> HasJsonbConversion<T>(this PropertyBuilder<T> property)
        where T : class =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
                v => JsonSerializer.Deserialize<T>(v, JsonSerializerOptions.Web)!,
                new ValueComparer<T>(
                    (a, b) =>
                        JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
                    v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(),
                    v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!
                )
            );

    /// <summary><c>Database:Migrate</c>: OnStart (the default: every start applies what is missing), Off, or Only.</summary>
    public static string MigrationMode(IConfiguration configuration) =>
        configuration["Database:Migrate"] switch
        {
            null or "" => "OnStart",
            var mode when mode is "OnStart" or "Off" or "Only" => mode,
            var other => throw new InvalidOperationException($"Database:Migrate is '{other}'; it is OnStart, Off or Only."),
        };

    /// <summary>
    /// Runs the service, or with <c>Database:Migrate=Only</c> applies its migrations and exits (0 when done) without
    /// starting anything else: the once-per-release job of a deployment with several replicas.
    /// </summary>
    public static void RunService(this Microsoft.AspNetCore.Builder.WebApplication app)
    {
        if (MigrationMode(app.Configuration) != "Only")
        {
            app.Run();
            return;
        }
        foreach (var migrator in app.Services.GetServices<IDatabaseMigrator>())
            migrator.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    interface IDatabaseMigrator
    {
        Task MigrateAsync(CancellationToken cancellationToken);
    }

    /// <summary>Applies migrations at start, waiting for PostgreSQL to come up rather than failing the process.</summary>
    sealed class DatabaseMigrator<TDb>(IServiceProvider services, ILogger<DatabaseMigrator<TDb>> logger) : IHostedService, IDatabaseMigrator
        where TDb : DbContext
    {
        public Task StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

        public async Task MigrateAsync(CancellationToken cancellationToken)
        {
            var pipeline = new ResiliencePipelineBuilder()
                .AddRetry(
                    new RetryStrategyOptions
                    {
                        MaxRetryAttempts = 20,
                        Delay = TimeSpan.FromSeconds(1),
                        BackoffType = DelayBackoffType.Constant,
                        OnRetry = args =>
                        {
                            logger.LogWarning(
                                args.Outcome.Exception,
                                "Database not ready, retrying migration (attempt {Attempt})",
                                args.AttemptNumber + 1
                            );
                            return default;
                        },
                    }
                )
                .Build();
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    using var scope = services.CreateScope();
                    var db = scope.ServiceProvider.GetRequiredService<TDb>();
                    await db.Database.MigrateAsync(ct);
                },
                cancellationToken
            );
            logger.LogInformation("Database migrated for {Context}", typeof(TDb).Name);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

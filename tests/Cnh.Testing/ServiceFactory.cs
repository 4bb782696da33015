using System.Net.Http.Headers;
using Cnh.Contracts;
using Cnh.ServiceDefaults;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Cnh.Testing;

/// <summary>
/// One service in process, between the unit tests and the multi-process suite: its real endpoints, rules and
/// database (a PostgreSQL database of its own, dropped afterwards), with MassTransit's in-memory test harness in place
/// of RabbitMQ (so a test publishes the events the service consumes and sees what it publishes), and tokens signed by
/// <see cref="Tokens"/>. The clock is the end-to-end suite's, 2026-08-15.
/// </summary>
public class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime
    where TProgram : class
{
    public const string Today = "2026-08-15T00:00:00Z";

    readonly string _database = $"cnh_inproc_{Guid.NewGuid():N}";

    public TestTokens Tokens { get; } = new();

    public ITestHarness Harness => Services.GetTestHarness();

    AuthOptions Auth => Services.GetRequiredService<AuthOptions>();

    /// <summary>A client of the service whose requests carry a token of <paramref name="token"/>, or none.</summary>
    public HttpClient ClientWith(Func<TestTokens, AuthOptions, string>? token)
    {
        var client = CreateClient();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token(Tokens, Auth));
        return client;
    }

    public HttpClient AsAdmin() => ClientWith((t, a) => t.Admin(a));

    public HttpClient AsViewer() => ClientWith((t, a) => t.Viewer(a));

    public HttpClient AsDepartment(string department) => ClientWith((t, a) => t.Department(a, department));

    /// <summary>Publishes an event as another service would, and waits until this service has consumed it.</summary>
    public Task DeliverAsync<T>(T message)
        where T : class, IIntegrationEvent => DeliverTogetherAsync([message]);

    /// <summary>
    /// Publishes events all at once, as a relay publishes one claim, so this service may consume them at the same moment;
    /// waits until it has consumed each.
    /// </summary>
    public async Task DeliverTogetherAsync<T>(IReadOnlyCollection<T> messages)
        where T : class, IIntegrationEvent
    {
        await Task.WhenAll(messages.Select(m => Harness.Bus.Publish(m)));
        foreach (var message in messages)
            if (await Harness.ConsumedCountAsync<T>(m => m.EventId == message.EventId, 1) < 1)
                throw new TimeoutException($"{typeof(T).Name} {message.EventId} was not consumed within 30 s.");
    }

    /// <summary>An indicator of the test's own (<see cref="TestEvents.IndicatorDefined"/>), once this service has it.</summary>
    public async Task<string> DefineIndicatorAsync(string department, string frequency = "annual")
    {
        var defined = TestEvents.IndicatorDefined(TestEvents.NewCode(), department, frequency);
        await DeliverAsync(defined);
        return defined.Code;
    }

    /// <summary>False for the gateway, which issues and checks its own tokens.</summary>
    protected virtual bool TrustsTestTokens => true;

    protected virtual string EnvironmentName => "Testing";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Database", TestDatabases.ConnectionString(_database));
        // The suite's output is for the tests; a service's own log shows warnings and errors only.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Clock:Now", Today);
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness();
            if (TrustsTestTokens)
                services
                    .AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                    .PostConfigure<AuthOptions>((jwt, auth) => Tokens.Trust(jwt, auth));
            // No gateway to poll for revocations here.
            foreach (var refresh in services.Where(d => d.ImplementationType == typeof(RevocationListRefresh)).ToList())
                services.Remove(refresh);
        });
    }

    public async Task InitializeAsync()
    {
        // Made before the service starts, which reads it at once (data protection keys) and migrates it.
        await TestDatabases.CreateAsync(_database);
        _ = Server;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestDatabases.DropAsync(_database);
    }
}

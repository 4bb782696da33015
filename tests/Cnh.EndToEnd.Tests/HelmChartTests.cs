using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// infra/helm/cnh cannot be installed here (no cluster, no helm binary), so it is rendered with Go's own template engine
/// (infra/helm/tools/render.mjs) for both value sets, every manifest validated against the Kubernetes schemas, and what
/// the chart promises checked in what it renders.
/// </summary>
public class HelmChartTests
{
    static readonly string Chart = Path.Combine(TestEnvironment.Root, "infra", "helm", "cnh");

    public static TheoryData<string> ValueSets => new() { "values.yaml", "ci/external-values.yaml" };

    [Theory]
    [MemberData(nameof(ValueSets))]
    public async Task When_the_chart_is_rendered_every_manifest_is_valid_and_each_service_is_probed_sized_and_scaled(string values)
    {
        var manifests = await RenderAsync(values);

        var deployments = Kind(manifests, "Deployment");
        deployments.Select(d => Name(d)).Should().BeEquivalentTo(PlatformServices.Read().Select(s => $"cnh-{s.Name}"));
        foreach (var deployment in deployments)
        {
            var container = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
            container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString().Should().Be("/health/ready");
            container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString().Should().Be("/health/live");
            container.GetProperty("resources").GetProperty("requests").GetProperty("memory").GetString().Should().NotBeNullOrEmpty();
            container.GetProperty("resources").GetProperty("limits").GetProperty("memory").GetString().Should().NotBeNullOrEmpty();
            container.GetProperty("securityContext").GetProperty("readOnlyRootFilesystem").GetBoolean().Should().BeTrue();
            // No replica migrates: the release's job does, once.
            var env = Env(container);
            if (env.ContainsKey("ConnectionStrings__Database"))
                env["Database__Migrate"].Should().Be("Off", Name(deployment));
            env.Keys.Should().NotContain(k => k.EndsWith("Password"), "passwords are mounted files or secret references, never values");
        }
        Kind(manifests, "PodDisruptionBudget").Should().HaveCount(deployments.Count);
        Kind(manifests, "HorizontalPodAutoscaler").Should().NotBeEmpty();
        var jobs = Kind(manifests, "Job");
        jobs.Select(j => Name(j))
            .Should()
            .BeEquivalentTo(PlatformServices.Read().Where(s => s.HasDatabase).Select(s => $"cnh-migrate-{s.Name}"));
        jobs.Should()
            .OnlyContain(j =>
                Env(j.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0])["Database__Migrate"]
                == "Only"
            );
    }

    [Fact]
    public async Task When_the_chart_is_rendered_only_the_gateway_and_the_portal_can_be_reached_from_outside()
    {
        var policies = Kind(await RenderAsync("values.yaml"), "NetworkPolicy");

        var deny = policies.Single(p => Name(p) == "cnh-default-deny").GetProperty("spec");
        deny.TryGetProperty("ingress", out _).Should().BeFalse("the default denies every connection in and out");
        deny.TryGetProperty("egress", out _).Should().BeFalse();
        var fromOutside = policies
            .Where(p =>
                p.GetProperty("spec").TryGetProperty("ingress", out var ingress)
                && ingress
                    .EnumerateArray()
                    .SelectMany(r => r.GetProperty("from").EnumerateArray())
                    .Any(f => f.TryGetProperty("namespaceSelector", out _))
            )
            .Select(p =>
                p.GetProperty("spec")
                    .GetProperty("podSelector")
                    .GetProperty("matchLabels")
                    .GetProperty("app.kubernetes.io/name")
                    .GetString()
            );
        fromOutside.Should().BeEquivalentTo(["cnh-gateway", "cnh-portal"]);
    }

    [Fact]
    public async Task When_the_chart_creates_the_broker_each_service_gets_the_permissions_of_infra_rabbitmq_permissions_tsv()
    {
        var manifests = await RenderAsync("values.yaml");

        Kind(manifests, "RabbitmqCluster").Single().GetProperty("spec").GetProperty("replicas").GetInt32().Should().Be(3);
        var postgres = Kind(manifests, "Cluster").Single().GetProperty("spec");
        postgres.GetProperty("instances").GetInt32().Should().Be(3, "one primary and two replicas");
        var permissions = Kind(manifests, "Permission").ToDictionary(p => p.GetProperty("spec").GetProperty("user").GetString()!);
        foreach (var (service, expected) in RabbitPermissions.Read())
        {
            var granted = permissions[$"cnh-{service}"].GetProperty("spec").GetProperty("permissions");
            (
                granted.GetProperty("configure").GetString(),
                granted.GetProperty("write").GetString(),
                granted.GetProperty("read").GetString()
            )
                .Should()
                .Be((expected.Configure, expected.Write, expected.Read), service);
        }
    }

    [Fact]
    public async Task When_the_chart_uses_external_servers_it_creates_no_broker_or_database_and_connects_to_the_given_hosts()
    {
        var manifests = await RenderAsync("ci/external-values.yaml");

        manifests.Select(m => m.GetProperty("kind").GetString()).Should().NotContain(["RabbitmqCluster", "Cluster", "Permission"]);
        var scoring = Kind(manifests, "Deployment").Single(d => Name(d) == "cnh-scoring");
        var env = Env(scoring.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0]);
        env["ConnectionStrings__Database"]
            .Should()
            .Contain("Host=cnh.postgres.database.example.internal")
            .And.Contain("SSL Mode=VerifyFull");
        env["RabbitMq__Host"].Should().Be("rabbitmq.messaging.svc.cluster.local");
    }

    [Fact]
    public async Task When_a_value_breaks_the_schema_rendering_fails_naming_the_field()
    {
        var broken = Path.Combine(Directory.CreateTempSubdirectory("cnh-helm-").FullName, "broken.yaml");
        await File.WriteAllTextAsync(broken, "services:\n  scoring:\n    resources:\n      limits: { memory: a-lot }\n");

        var result = await Commands.RunAsync("node", RendererPath, Chart, "-f", broken);

        result.ExitCode.Should().Be(1, result.Output);
        result.Error.Should().Contain("Deployment cnh-scoring").And.Contain("resources/limits/memory");
    }

    static string RendererPath => Path.Combine(TestEnvironment.Root, "infra", "helm", "tools", "render.mjs");

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<List<JsonElement>>>> Rendered = new();

    /// <summary>
    /// The chart rendered and validated, with the Secrets create-secrets.sh would make validated alongside — once per
    /// value set for all the tests that read it.
    /// </summary>
    static Task<List<JsonElement>> RenderAsync(string values) =>
        Rendered.GetOrAdd(values, v => new Lazy<Task<List<JsonElement>>>(() => RenderOnceAsync(v))).Value;

    static async Task<List<JsonElement>> RenderOnceAsync(string values)
    {
        var work = Directory.CreateTempSubdirectory("cnh-helm-").FullName;
        try
        {
            var secrets = await Commands.RunCheckedAsync(
                "bash",
                Path.Combine(TestEnvironment.Root, "infra", "helm", "create-secrets.sh"),
                "cnh",
                "cnh",
                "--dry-run"
            );
            await File.WriteAllTextAsync(Path.Combine(work, "secrets.yaml"), secrets);
            var json = Path.Combine(work, "manifests.json");
            var output = await Commands.RunCheckedAsync(
                "node",
                RendererPath,
                Chart,
                "-f",
                Path.Combine(Chart, values),
                "--also",
                Path.Combine(work, "secrets.yaml"),
                "--json",
                json
            );
            output.Should().Contain("all valid");
            var manifests = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.EnumerateArray().ToList();
            // Every Secret a pod mounts or reads is one create-secrets.sh makes (or an optional one, or the database's CA).
            var made = Kind(manifests, "Secret").Select(s => Name(s)).ToHashSet();
            foreach (var name in ReferencedSecrets(manifests))
                made.Should().Contain(name);
            return manifests;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static IEnumerable<string> ReferencedSecrets(List<JsonElement> manifests) =>
        manifests
            .Where(m => m.GetProperty("kind").GetString() is "Deployment" or "Job")
            .SelectMany(m =>
            {
                var pod = m.GetProperty("spec").GetProperty("template").GetProperty("spec");
                var mounted = pod.GetProperty("volumes")
                    .EnumerateArray()
                    .Where(v => v.TryGetProperty("secret", out var s) && !(s.TryGetProperty("optional", out var o) && o.GetBoolean()))
                    .Select(v => v.GetProperty("secret").GetProperty("secretName").GetString()!)
                    .Where(n => !n.EndsWith("-ca"));
                var read = pod.GetProperty("containers")
                    .EnumerateArray()
                    .SelectMany(c => c.GetProperty("env").EnumerateArray())
                    .Where(e => e.TryGetProperty("valueFrom", out var v) && v.TryGetProperty("secretKeyRef", out _))
                    .Select(e => e.GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString()!);
                return mounted.Concat(read);
            })
            .Distinct();

    static List<JsonElement> Kind(List<JsonElement> manifests, string kind) =>
        manifests.Where(m => m.GetProperty("kind").GetString() == kind).ToList();

    static string Name(JsonElement manifest) => manifest.GetProperty("metadata").GetProperty("name").GetString()!;

    static Dictionary<string, string?> Env(JsonElement container) =>
        container
            .GetProperty("env")
            .EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.TryGetProperty("value", out var v) ? v.GetString() : null);
}

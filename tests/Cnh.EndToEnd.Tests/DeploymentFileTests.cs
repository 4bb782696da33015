using System.Diagnostics;
using System.Net.Http.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>docker-compose.yml cannot be started here (no Docker engine), but Compose can check it.</summary>
public class DeploymentFileTests
{
    [Fact]
    public async Task When_compose_checks_docker_compose_yml_it_is_valid_and_runs_the_whole_system()
    {
        var (code, output) = await ComposeAsync("config", "--services");

        code.Should().Be(0, output);
        // The platform's processes are infra/services.tsv's, beside the infrastructure.
        output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Should()
            .BeEquivalentTo(PlatformServices.Read().Select(s => s.Name).Concat(["postgres", "rabbitmq", "rabbitmq-users", "dashboard"]));
        var init = File.ReadAllText(Path.Combine(TestEnvironment.Root, "infra", "postgres-init.sql"));
        System
            .Text.RegularExpressions.Regex.Matches(init, @"CREATE DATABASE (\w+)")
            .Select(m => m.Groups[1].Value)
            .Should()
            .BeEquivalentTo(PlatformServices.Read().Where(s => s.HasDatabase).Select(s => $"cnh_{s.Name}"));
    }

    [Fact]
    public async Task When_compose_runs_the_services_each_has_its_own_broker_user_and_answers_only_the_gateway()
    {
        var (code, config) = await ComposeAsync("config");
        code.Should().Be(0, config);
        foreach (var service in RabbitPermissions.Read().Keys)
        {
            var section = Section(config, service);
            section
                .Should()
                .Contain($"RabbitMq__Username: cnh-{service}")
                .And.Contain("RabbitMq__PasswordFile:")
                .And.Contain("rabbitmq-" + service)
                .And.Contain("Auth__GatewaySecretFile: /gateway-secret/secret");
            section
                .Should()
                .NotContain("compose-rabbit", $"{service} does not hold the broker administrator's password")
                .And.NotContain("RabbitMq__Password:");
        }
        Section(config, "gateway").Should().Contain("Auth__GatewaySecretFile: /gateway-secret/secret");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task When_compose_makes_the_broker_users_each_gets_exactly_its_permissions_and_a_private_password_kept_across_runs()
    {
        // The compose init script, run against this machine's real broker in a virtual host of its own.
        var vhost = $"cnh-e2e-users-{Guid.NewGuid():N}"[..30];
        var secrets = Directory.CreateTempSubdirectory("cnh-rabbit-users-").FullName;
        using var rabbit = Sandbox.RabbitAdmin();
        (await rabbit.PutAsync($"api/vhosts/{vhost}", System.Net.Http.Json.JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        var expected = RabbitPermissions.Read();
        try
        {
            (await RunUsersScriptAsync(vhost, secrets)).Should().Be(0);
            var first = expected.Keys.ToDictionary(s => s, s => File.ReadAllText(Path.Combine(secrets, s, "rabbitmq-password")));
            (await RunUsersScriptAsync(vhost, secrets)).Should().Be(0, "a second start changes nothing");

            foreach (var (service, permissions) in expected)
            {
                var file = Path.Combine(secrets, service, "rabbitmq-password");
                File.ReadAllText(file).Should().Be(first[service]).And.HaveLength(40);
                File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead, "only the service's own user reads its password");
                var granted = await rabbit.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/permissions/{vhost}/{vhost}-{service}");
                granted.GetProperty("configure").GetString().Should().Be(permissions.Configure);
                granted.GetProperty("write").GetString().Should().Be(permissions.Write);
                granted.GetProperty("read").GetString().Should().Be(permissions.Read);
                var user = await rabbit.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/users/{vhost}-{service}");
                user.GetProperty("tags").ToString().Should().NotContain("administrator");

                var factory = new RabbitMQ.Client.ConnectionFactory
                {
                    HostName = "127.0.0.1",
                    VirtualHost = vhost,
                    UserName = $"{vhost}-{service}",
                    Password = first[service],
                };
                await using var connection = await factory.CreateConnectionAsync();
                connection.IsOpen.Should().BeTrue($"{service} signs in with the password in its file");
            }
        }
        finally
        {
            await rabbit.DeleteAsync($"api/vhosts/{vhost}");
            foreach (var service in expected.Keys)
                await rabbit.DeleteAsync($"api/users/{vhost}-{service}");
            Directory.Delete(secrets, recursive: true);
        }
    }

    static async Task<int> RunUsersScriptAsync(string vhost, string secrets)
    {
        var info = new ProcessStartInfo("sh", [Path.Combine(TestEnvironment.Root, "infra", "rabbitmq-users.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["RABBITMQ_API"] = "http://127.0.0.1:15672";
        info.Environment["RABBITMQ_ADMIN"] = "cnh";
        info.Environment["RABBITMQ_ADMIN_PASSWORD"] = TestEnvironment.RabbitPassword;
        info.Environment["RABBITMQ_VHOST"] = vhost;
        info.Environment["USER_PREFIX"] = $"{vhost}-";
        info.Environment["SECRETS_DIR"] = secrets;
        info.Environment["PERMISSIONS"] = Path.Combine(TestEnvironment.Root, "infra", "rabbitmq-permissions.tsv");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        (await errors).Should().BeEmpty(await output);
        return process.ExitCode;
    }

    /// <summary>The lines of one service in Compose's resolved file (two-space indented under <c>services:</c>).</summary>
    static string Section(string config, string service)
    {
        var lines = config.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == $"  {service}:");
        start.Should().BeGreaterThan(-1, $"service {service}");
        var end = Array.FindIndex(lines, start + 1, l =>
            l.Length > 2 && l[0] == ' ' && l[1] == ' ' && l[2] != ' ' || l.Length > 0 && l[0] != ' '
        );
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    [Fact]
    public async Task When_the_secrets_are_missing_compose_refuses_the_file()
    {
        var (code, output) = await ComposeAsync(withSecrets: false, "config", "-q");

        code.Should().NotBe(0);
        output.Should().Contain("CNH_PG_PASSWORD");
    }

    static Task<(int, string)> ComposeAsync(params string[] args) => ComposeAsync(true, args);

    static async Task<(int Code, string Output)> ComposeAsync(bool withSecrets, params string[] args)
    {
        // Compose v2 (docker compose) where the plugin exists, else Debian's Compose v1; ./cnh test installs one.
        var useV2 = await HasComposePluginAsync();
        var info = useV2 ? new ProcessStartInfo("docker", ["compose", .. args]) : new ProcessStartInfo("docker-compose", args);
        info.WorkingDirectory = TestEnvironment.Root;
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.Environment.Remove("CNH_PG_PASSWORD");
        info.Environment.Remove("CNH_RABBIT_PASSWORD");
        if (withSecrets)
        {
            info.Environment["CNH_PG_PASSWORD"] = "compose-pg";
            info.Environment["CNH_RABBIT_PASSWORD"] = "compose-rabbit";
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    static async Task<bool> HasComposePluginAsync()
    {
        try
        {
            using var p = Process.Start(
                new ProcessStartInfo("docker", ["compose", "version"]) { RedirectStandardOutput = true, RedirectStandardError = true }
            )!;
            await p.WaitForExitAsync();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client at all
        }
    }
}

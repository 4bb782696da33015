using System.Diagnostics;
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
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().BeEquivalentTo(
            "postgres", "rabbitmq", "dashboard", "catalogue", "submissions", "scoring", "notifications", "gateway", "portal");
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
            info.Environment["CNH_PG_PASSWORD"] = "compose-check";
            info.Environment["CNH_RABBIT_PASSWORD"] = "compose-check";
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
            using var p = Process.Start(new ProcessStartInfo("docker", ["compose", "version"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await p.WaitForExitAsync();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client at all
        }
    }
}

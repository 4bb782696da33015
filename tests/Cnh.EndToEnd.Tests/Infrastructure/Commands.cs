using System.Diagnostics;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the machine's own tools (rabbitmqctl, pg_ctlcluster, pdftotext, node) to their end.</summary>
public static class Commands
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs it and returns its output; throws with its error output when it fails.</summary>
    public static async Task<string> RunCheckedAsync(string program, params string[] args)
    {
        var result = await RunAsync(program, args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Error}");
        return result.Output;
    }

    /// <summary>As root, which starting and stopping the servers needs: sudo -n when the tests run as another user.</summary>
    public static Task<string> RunAsRootAsync(string program, params string[] args) =>
        Environment.UserName == "root" ? RunCheckedAsync(program, args) : RunCheckedAsync("sudo", ["-n", program, .. args]);
}

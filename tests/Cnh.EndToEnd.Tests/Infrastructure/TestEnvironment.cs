using System.Reflection;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository is, the build configuration, and the development secrets `./cnh` generated.</summary>
public static class TestEnvironment
{
    public static readonly string Root = FindRoot();
    public static readonly string Configuration = typeof(TestEnvironment)
        .Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()
        ?.Configuration
        ?? "Debug";

    static readonly Dictionary<string, string> Secrets = LoadSecrets();

    public static string PostgresPassword => Secret("CNH_PG_PASSWORD");
    public static string RabbitPassword => Secret("CNH_RABBIT_PASSWORD");

    public static string ServiceDll(string folder, string assembly) =>
        Path.Combine(Root, folder, "bin", Configuration, "net10.0", assembly + ".dll");

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string Secret(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? (
            Secrets.TryGetValue(name, out var v)
                ? v
                : throw new InvalidOperationException(
                    $"{name} is not set and the secrets file lacks it: run './cnh test' (or './cnh infra') first."
                )
        );

    /// <summary>The machine-wide file `./cnh` writes (CNH_SECRETS_FILE, default ~/.config/cnh/secrets.env).</summary>
    static Dictionary<string, string> LoadSecrets()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        var file = Environment.GetEnvironmentVariable("CNH_SECRETS_FILE") ?? Path.Combine(config, "cnh", "secrets.env");
        if (!File.Exists(file))
            return new();
        return File.ReadAllLines(file)
            .Where(l => l.Contains('='))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CnhPlatform.sln")))
                return dir.FullName;
        throw new InvalidOperationException("CnhPlatform.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Reflection;
using Cnh.Testing;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository is, the build configuration, and the development secrets `./cnh` generated.</summary>
public static class TestEnvironment
{
    public static readonly string Root = FindRoot();
    public static readonly string Configuration = typeof(TestEnvironment)
        .Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()
        ?.Configuration
        ?? "Debug";

    public static string PostgresPassword => TestSecrets.PostgresPassword;
    public static string RabbitPassword => TestSecrets.RabbitPassword;

    public static string ServiceDll(string folder, string assembly) =>
        Path.Combine(Root, folder, "bin", Configuration, "net10.0", assembly + ".dll");

    static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// A loopback port free now and never handed out before in this run. The kernel may give a port it just gave (and
    /// which was released for the process meant to listen on it) a second time: a balancer then once took the port of
    /// a gateway not yet started, and that gateway restarted forever while the balancer forwarded to itself.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, 0))
                return port;
        }
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CnhPlatform.sln")))
                return dir.FullName;
        throw new InvalidOperationException("CnhPlatform.sln not found above " + AppContext.BaseDirectory);
    }
}

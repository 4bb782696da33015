namespace Cnh.Testing;

/// <summary>The development secrets `./cnh` generated: from the environment, else the machine-wide secrets file.</summary>
public static class TestSecrets
{
    static readonly Dictionary<string, string> FromFile = Load();

    public static string PostgresPassword => Get("CNH_PG_PASSWORD");
    public static string RabbitPassword => Get("CNH_RABBIT_PASSWORD");

    static string Get(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? (
            FromFile.TryGetValue(name, out var value)
                ? value
                : throw new InvalidOperationException(
                    $"{name} is not set and the secrets file lacks it: run './cnh test' (or './cnh infra') first."
                )
        );

    /// <summary>CNH_SECRETS_FILE, default ~/.config/cnh/secrets.env.</summary>
    static Dictionary<string, string> Load()
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
}

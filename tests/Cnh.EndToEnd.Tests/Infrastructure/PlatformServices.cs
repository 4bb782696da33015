namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>infra/services.tsv: the platform's processes, as ./cnh starts them.</summary>
public static class PlatformServices
{
    public sealed record Service(string Name, string Folder, string Assembly, int Port, bool HasDatabase);

    public static IReadOnlyList<Service> Read() =>
        File.ReadAllLines(Path.Combine(TestEnvironment.Root, "infra", "services.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(c => new Service(c[0], Path.GetDirectoryName(c[1])!, Path.GetFileName(c[1]), int.Parse(c[2]), c[3] == "yes"))
            .ToList();
}

namespace Cnh.ServiceDefaults;

/// <summary>The gateway's revocation list, as it publishes it at <c>/auth/revocations</c>.</summary>
public sealed record Revocations(IReadOnlyList<ChangedClient> Clients, IReadOnlyList<string> Tokens)
{
    public static readonly Revocations None = new([], []);
}

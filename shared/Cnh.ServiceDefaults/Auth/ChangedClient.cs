namespace Cnh.ServiceDefaults;

/// <summary>A client changed while its tokens may still be unexpired: revoked, or given a new secret.</summary>
public sealed record ChangedClient(string ClientId, bool Revoked, string SecretGeneration);

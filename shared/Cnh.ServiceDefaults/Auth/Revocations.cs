using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using Cnh.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>The gateway's revocation list, as it publishes it at <c>/auth/revocations</c>.</summary>
public sealed record Revocations(IReadOnlyList<ChangedClient> Clients, IReadOnlyList<string> Tokens)
{
    public static readonly Revocations None = new([], []);
}

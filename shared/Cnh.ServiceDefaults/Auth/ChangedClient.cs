using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using Cnh.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>A client changed while its tokens may still be unexpired: revoked, or given a new secret.</summary>
public sealed record ChangedClient(string ClientId, bool Revoked, string SecretGeneration);

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Delivery;

/// <summary>
/// <c>Notifications:Webhooks</c>. <c>AllowedNetworks</c> lets webhooks reach networks that are otherwise refused
/// (CIDR, e.g. <c>127.0.0.0/8</c>): development and the tests keep their loopback receivers this way; production never
/// sets it.
/// </summary>
public sealed class WebhookOptions
{
    public List<string> AllowedNetworks { get; set; } = [];
}

/// <summary>Thrown when a webhook's host is, or resolves to, an address webhooks may not reach.</summary>
public sealed class WebhookAddressRefusedException(string message) : HttpRequestException(message);

/// <summary>
/// Where webhooks may go: public addresses only — never loopback, link-local, private, shared (CGNAT), unique-local,
/// multicast, reserved or unspecified addresses, in any spelling (decimal, hex, octal, IPv4-mapped IPv6, NAT64, 6to4),
/// nor <c>localhost</c> and cloud metadata host names. Checked when a subscription is made, and again for the address
/// actually dialled (<see cref="ConnectAsync"/>), so a name that later resolves elsewhere (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookAddresses(IOptions<WebhookOptions> options)
{
    public const string Refused =
        "The URL's host is not a public address: webhooks cannot reach loopback, private, link-local or metadata addresses.";

    readonly IPNetwork[] _allowed = options.Value.AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToArray();

    /// <summary>Null when the URL may be subscribed, else what is wrong with it. Resolves names (never metadata or localhost
    /// names).</summary>
    public async Task<string?> CheckAsync(Uri url, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(url.IdnHost, ct);
        }
        catch (SocketException)
        {
            return "The URL's host name does not resolve; check the spelling.";
        }
        return addresses.Length > 0 && addresses.All(IsAllowed) ? null : Refused;
    }

    /// <summary>The webhook client's connect step: dials only allowed addresses of the host, whatever DNS says now.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var allowed = (await ResolveAsync(context.DnsEndPoint.Host, ct)).Where(IsAllowed).ToArray();
        if (allowed.Length == 0)
            throw new WebhookAddressRefusedException(Refused);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public bool IsAllowed(IPAddress address) => IsPublic(address) || _allowed.Any(n => n.Contains(Normalize(address)));

    /// <summary>Literal addresses as they are; localhost names as loopback and metadata names as nothing, without asking DNS.</summary>
    static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        host = host.TrimEnd('.');
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
            return [literal];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        if (IsMetadataName(host))
            return [];
        return await Dns.GetHostAddressesAsync(host, ct);
    }

    static bool IsMetadataName(string host) =>
        host.Equals("metadata", StringComparison.OrdinalIgnoreCase)
        || host.Equals("instance-data", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase);

    /// <summary>An IPv6 form that carries an IPv4 address (mapped, compatible, NAT64, 6to4) as that IPv4 address.</summary>
    static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address;
        var b = address.GetAddressBytes();
        if (b.Take(12).All(x => x == 0) && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1))
            return new IPAddress(b[12..16]); // ::a.b.c.d
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
            return new IPAddress(b[12..16]); // 64:ff9b::/96
        if (b[0] == 0x20 && b[1] == 0x02)
            return new IPAddress(b[2..6]); // 2002::/16
        return address;
    }

    public static bool IsPublic(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(
                b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast and reserved
                || (b[0] == 100 && b[1] is >= 64 and <= 127) // shared address space (CGNAT)
                || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
                || (b[0] == 172 && b[1] is >= 16 and <= 31) // private
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, documentation
                || (b[0] == 192 && b[1] == 168) // private
                || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100) // documentation
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)
            ); // documentation
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        var v6 = address.GetAddressBytes();
        return !(
            address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal
            || address.IsIPv6Multicast
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) // documentation 2001:db8::/32
            || v6.Take(12).All(x => x == 0)
        ); // ::, ::1 and other IPv4-compatible leftovers
    }
}

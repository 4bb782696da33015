using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cnh.Contracts;

/// <summary>
/// How CnhPlatform signs webhook calls, and how a receiver checks them. Each POST carries
/// <c>X-Cnh-Timestamp</c> (Unix seconds) and <c>X-Cnh-Signature: sha256=HEX</c>, where HEX is
/// HMAC-SHA256(subscription secret, "{timestamp}.{raw body}"). A receiver recomputes it, compares in constant time,
/// and rejects a timestamp more than five minutes from its clock, so a captured call cannot be replayed later.
/// <c>X-Cnh-Delivery</c> identifies the delivery, so a receiver can ignore a repeat.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Cnh-Timestamp";
    public const string SignatureHeader = "X-Cnh-Signature";
    public const string DeliveryHeader = "X-Cnh-Delivery";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}")
        );
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    public static bool Verify(string secret, string? timestamp, string body, string? signature, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signature is null)
            return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
            return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}

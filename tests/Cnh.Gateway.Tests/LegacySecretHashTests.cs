using System.Buffers.Binary;
using System.Security.Cryptography;
using Cnh.Gateway.Auth;

namespace Cnh.Gateway.Tests;

/// <summary>Hashes stored before OpenIddict keep working: the same PBKDF2, in OpenIddict's encoding.</summary>
public class LegacySecretHashTests
{
    [Fact]
    public void When_an_earlier_hash_is_re_encoded_it_holds_the_same_prf_iterations_salt_and_subkey()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2("s3cret", salt, 100_000, HashAlgorithmName.SHA256, 32);
        var legacy = $"pbkdf2-sha256$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(subkey)}";

        var payload = Convert.FromBase64String(LegacySecretHash.ToOpenIddict(legacy));

        payload[0].Should().Be(0x01, "the format marker");
        BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1)).Should().Be(1u, "HMAC-SHA256");
        BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(5)).Should().Be(100_000u);
        BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(9)).Should().Be(16u);
        payload.AsSpan(13, 16).ToArray().Should().Equal(salt);
        payload.AsSpan(29).ToArray().Should().Equal(subkey);
    }

    [Fact]
    public void When_a_hash_is_already_openiddicts_it_is_kept_as_it_is() =>
        LegacySecretHash.ToOpenIddict("AQAAAAEAACcQAAAAEJ5Q").Should().Be("AQAAAAEAACcQAAAAEJ5Q");
}

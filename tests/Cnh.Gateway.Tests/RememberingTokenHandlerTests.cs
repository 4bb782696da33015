using System.Security.Claims;
using System.Security.Cryptography;
using Cnh.ServiceDefaults;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cnh.Gateway.Tests;

/// <summary>The gateway and every service check a token's signature once, then trust it for a while — but not longer
/// than it lives, nor after its key is withdrawn.</summary>
public class RememberingTokenHandlerTests
{
    const string Issuer = "https://issuer.test";
    const string Audience = "cnh-test";

    // The base handler checks lifetimes on the system clock: the fake one starts there, so nothing depends on the date.
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "key-1" };
    readonly CountingCryptoProviderFactory _crypto = new() { CacheSignatureProviders = false };
    readonly RememberingTokenHandler _handler;

    public RememberingTokenHandlerTests() => _handler = new RememberingTokenHandler(_clock) { MapInboundClaims = false };

    [Fact]
    public async Task When_a_token_comes_again_its_signature_is_not_checked_again()
    {
        var token = Issue(TimeSpan.FromHours(1));

        var first = await _handler.ValidateTokenAsync(token, Parameters(_key));
        var second = await _handler.ValidateTokenAsync(token, Parameters(_key));

        first.IsValid.Should().BeTrue();
        second.IsValid.Should().BeTrue();
        _crypto.Verifications.Should().Be(1);
        second.ClaimsIdentity.FindFirst("sub")!.Value.Should().Be("dept-ytb");
        second.SecurityToken.Should().BeSameAs(first.SecurityToken);
    }

    [Fact]
    public async Task When_a_caller_adds_a_claim_the_next_request_does_not_see_it()
    {
        var token = Issue(TimeSpan.FromHours(1));

        var first = await _handler.ValidateTokenAsync(token, Parameters(_key));
        first.ClaimsIdentity.AddClaim(new Claim("added", "by the first request"));
        var second = await _handler.ValidateTokenAsync(token, Parameters(_key));
        second.ClaimsIdentity.AddClaim(new Claim("added", "by the second request"));
        var third = await _handler.ValidateTokenAsync(token, Parameters(_key));

        third.ClaimsIdentity.FindFirst("added").Should().BeNull();
        second.ClaimsIdentity.Should().NotBeSameAs(third.ClaimsIdentity);
    }

    [Fact]
    public Task When_the_token_expires_it_is_checked_in_full_again() =>
        RememberedUntil(lifetime: TimeSpan.FromSeconds(30), remembered: TimeSpan.FromSeconds(30));

    [Fact]
    public Task When_a_long_lived_token_was_checked_a_minute_ago_it_is_checked_in_full_again() =>
        RememberedUntil(lifetime: TimeSpan.FromHours(1), remembered: RememberingTokenHandler.MaxAge);

    /// <summary>A token of this lifetime is validated once, then trusted until just before <paramref name="remembered"/> has
    /// passed, and validated in full again at that moment.</summary>
    async Task RememberedUntil(TimeSpan lifetime, TimeSpan remembered)
    {
        var token = Issue(lifetime);
        await _handler.ValidateTokenAsync(token, Parameters(_key));

        _clock.Advance(remembered - TimeSpan.FromSeconds(1));
        await _handler.ValidateTokenAsync(token, Parameters(_key));
        _crypto.Verifications.Should().Be(1);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _handler.ValidateTokenAsync(token, Parameters(_key));
        _crypto.Verifications.Should().Be(2);
    }

    [Fact]
    public async Task When_its_key_is_no_longer_trusted_the_token_is_refused_at_once()
    {
        var token = Issue(TimeSpan.FromHours(1));
        (await _handler.ValidateTokenAsync(token, Parameters(_key))).IsValid.Should().BeTrue();

        var rotated = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "key-2" };
        var result = await _handler.ValidateTokenAsync(token, Parameters(rotated));

        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeAssignableTo<SecurityTokenSignatureKeyNotFoundException>();
    }

    [Fact]
    public async Task When_a_token_is_refused_the_refusal_is_not_remembered()
    {
        var token = Issue(TimeSpan.FromHours(1), audience: "someone-else");

        (await _handler.ValidateTokenAsync(token, Parameters(_key))).IsValid.Should().BeFalse();
        (await _handler.ValidateTokenAsync(token, Parameters(_key))).IsValid.Should().BeFalse();

        _crypto.Verifications.Should().Be(2);
    }

    [Fact]
    public async Task When_more_tokens_come_than_it_remembers_each_is_still_validated()
    {
        var small = new RememberingTokenHandler(_clock, capacity: 2) { MapInboundClaims = false };
        var tokens = Enumerable.Range(0, 5).Select(i => Issue(TimeSpan.FromHours(1), subject: $"client-{i}")).ToList();

        foreach (var token in tokens.Concat(tokens))
            (await small.ValidateTokenAsync(token, Parameters(_key)))
                .ClaimsIdentity.FindFirst("sub")!
                .Value.Should()
                .Be($"client-{tokens.IndexOf(token)}");
    }

    TokenValidationParameters Parameters(SecurityKey trusted) =>
        new()
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = [trusted],
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            CryptoProviderFactory = _crypto,
            NameClaimType = "sub",
        };

    string Issue(TimeSpan lifetime, string audience = Audience, string subject = "dept-ytb")
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(
            new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = audience,
                Subject = new ClaimsIdentity([new Claim("sub", subject)]),
                IssuedAt = now,
                NotBefore = now,
                Expires = now + lifetime,
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            }
        );
    }

    /// <summary>Counts signature checks: each one asks the factory for a verifier when providers are not cached.</summary>
    sealed class CountingCryptoProviderFactory : CryptoProviderFactory
    {
        int _verifications;

        public int Verifications => _verifications;

        public override SignatureProvider CreateForVerifying(SecurityKey key, string algorithm, bool cacheProvider)
        {
            Interlocked.Increment(ref _verifications);
            return base.CreateForVerifying(key, algorithm, cacheProvider);
        }
    }
}

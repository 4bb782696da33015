using System.Security.Claims;
using Cnh.ServiceDefaults;

namespace Cnh.Gateway.Tests;

/// <summary>Which valid tokens the gateway and every service refuse, from the revocation list the gateway publishes.</summary>
public class RevocationListTests
{
    static readonly DateTimeOffset Issued = new(2026, 12, 2, 8, 0, 0, 123, 456, TimeSpan.Zero);

    static ClaimsPrincipal Token(string client, DateTimeOffset secretIssuedAt, string tokenId = "t1") =>
        new(
            new ClaimsIdentity(
                [
                    new Claim("client_id", client),
                    new Claim(RevocationList.SecretGenerationClaim, RevocationList.SecretGeneration(secretIssuedAt)),
                    new Claim(RevocationList.TokenIdClaim, tokenId),
                ],
                "test"
            )
        );

    static RevocationList With(params ChangedClient[] clients) => With(clients, []);

    static RevocationList With(ChangedClient[] clients, string[] tokens)
    {
        var list = new RevocationList();
        list.Replace(new Revocations(clients, tokens));
        return list;
    }

    [Fact]
    public void When_a_client_is_not_on_the_list_its_token_stands() =>
        With(new ChangedClient("other", true, "1")).IsRevoked(Token("dept-tc", Issued)).Should().BeFalse();

    [Fact]
    public void When_a_client_is_revoked_every_token_of_it_is_refused() =>
        With(new ChangedClient("dept-tc", true, RevocationList.SecretGeneration(Issued)))
            .IsRevoked(Token("dept-tc", Issued))
            .Should()
            .BeTrue();

    [Fact]
    public void When_a_secret_is_rotated_within_the_same_second_the_earlier_tokens_are_refused_and_the_new_ones_stand()
    {
        var rotated = Issued.AddTicks(10); // one microsecond later: PostgreSQL's precision
        var list = With(new ChangedClient("dept-tc", false, RevocationList.SecretGeneration(rotated)));

        list.IsRevoked(Token("dept-tc", Issued)).Should().BeTrue();
        list.IsRevoked(Token("dept-tc", rotated)).Should().BeFalse();
    }

    [Fact]
    public void When_one_token_is_revoked_only_that_token_is_refused()
    {
        var list = With([], ["t1"]);

        list.IsRevoked(Token("dept-tc", Issued, "t1")).Should().BeTrue();
        list.IsRevoked(Token("dept-tc", Issued, "t2")).Should().BeFalse();
    }

    [Fact]
    public void When_a_new_list_replaces_the_old_a_client_no_longer_on_it_stands_again()
    {
        var list = With(new ChangedClient("dept-tc", true, "1"));
        list.Replace(Revocations.None);

        list.IsRevoked(Token("dept-tc", Issued)).Should().BeFalse();
    }
}

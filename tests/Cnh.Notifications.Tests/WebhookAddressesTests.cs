using System.Net;
using System.Net.Sockets;
using Cnh.Notifications.Delivery;
using Microsoft.Extensions.Options;

namespace Cnh.Notifications.Tests;

/// <summary>Webhooks reach public addresses only, however the address is spelled — nothing here leaves this machine.</summary>
public class WebhookAddressesTests
{
    static WebhookAddresses Production => new(Options.Create(new WebhookOptions()));
    static WebhookAddresses Development => new(Options.Create(new WebhookOptions { AllowedNetworks = ["127.0.0.0/8", "::1/128"] }));

    [Theory]
    [InlineData("http://127.0.0.1:15672/api/users")]
    [InlineData("http://127.1.2.3/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://2130706433/")] // 127.0.0.1 in decimal
    [InlineData("http://0x7f000001/")] // in hex
    [InlineData("http://0177.0.0.1/")] // in octal
    [InlineData("http://localhost:5083/")]
    [InlineData("http://api.localhost/")]
    [InlineData("http://LOCALHOST./")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://[::]/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://172.16.5.4/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://[ff02::1]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")] // 169.254.169.254 through NAT64
    [InlineData("http://[2002:7f00:1::]/")] // 127.0.0.1 through 6to4
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://metadata/")]
    [InlineData("http://instance-data/")]
    [InlineData("http://printer.local/")]
    public async Task When_a_webhook_points_inside_the_network_the_subscription_is_refused(string url)
    {
        (await Production.CheckAsync(new Uri(url), CancellationToken.None)).Should().Be(WebhookAddresses.Refused);
    }

    [Theory]
    [InlineData("https://93.184.215.14/hooks")]
    [InlineData("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hooks")]
    public async Task When_a_webhook_points_at_a_public_address_it_is_accepted(string url)
    {
        (await Production.CheckAsync(new Uri(url), CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task When_loopback_is_allowed_for_development_private_and_metadata_addresses_are_still_refused()
    {
        (await Development.CheckAsync(new Uri("http://127.0.0.1:9000/hooks"), CancellationToken.None)).Should().BeNull();
        (await Development.CheckAsync(new Uri("http://localhost:9000/hooks"), CancellationToken.None)).Should().BeNull();
        (await Development.CheckAsync(new Uri("http://10.1.2.3/"), CancellationToken.None)).Should().Be(WebhookAddresses.Refused);
        (await Development.CheckAsync(new Uri("http://169.254.169.254/"), CancellationToken.None)).Should().Be(WebhookAddresses.Refused);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task When_the_address_dialled_is_not_allowed_the_connection_is_never_opened(string host)
    {
        // A name that resolved to a public address when subscribed may point at loopback later: the dial itself is checked.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        using var refused = Client(Production);
        var attempt = () => refused.GetAsync($"http://{host}:{port}/");
        (await attempt.Should().ThrowAsync<HttpRequestException>()).WithInnerException<WebhookAddressRefusedException>();
        listener.Pending().Should().BeFalse("nothing connected");

        using var allowed = Client(Development);
        var call = allowed.GetAsync($"http://{host}:{port}/");
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));
        accepted.Connected.Should().BeTrue("an allowed address is dialled");
    }

    static HttpClient Client(WebhookAddresses addresses) =>
        new(
            new SocketsHttpHandler
            {
                ConnectCallback = addresses.ConnectAsync,
                UseProxy = false,
                AllowAutoRedirect = false,
            }
        )
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
}

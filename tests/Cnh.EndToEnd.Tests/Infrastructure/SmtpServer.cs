using System.Diagnostics;
using System.Net.Sockets;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>A real SMTP server on loopback (Debian's aiosmtpd) that stores every message it accepts in a maildir.</summary>
public sealed class SmtpServer : IDisposable
{
    readonly Process _process;

    public int Port { get; }
    public string Maildir { get; }

    SmtpServer(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
    }

    public static async Task<SmtpServer> StartAsync(string directory)
    {
        var port = TestEnvironment.FreePort();
        var maildir = Path.Combine(directory, "maildir");
        // aiosmtpd from Debian lives in the system python, not in a pyenv one that may shadow it on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var process = Process.Start(
            new ProcessStartInfo(python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }
        )!;
        var server = new SmtpServer(process, port, maildir);
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException(
                    $"aiosmtpd exited: {await process.StandardError.ReadToEndAsync()} (./cnh test installs python3-aiosmtpd)"
                );
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("aiosmtpd did not start listening");
    }

    /// <summary>Every stored message as MimeKit parses it (attachments included).</summary>
    public IReadOnlyList<MimeKit.MimeMessage> MimeMessages()
    {
        var folder = Path.Combine(Maildir, "new");
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => MimeKit.MimeMessage.Load(f)).ToList() : [];
    }

    /// <summary>Every stored message as a person reads it: the To and Subject headers and the decoded body.</summary>
    public IReadOnlyList<string> Messages()
    {
        var folder = Path.Combine(Maildir, "new");
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Decode(File.ReadAllText(f))).ToList() : [];
    }

    /// <summary>Just enough MIME for SmtpClient's single-part mail: RFC 2047 B-encoded headers and a base64 body.</summary>
    static string Decode(string raw)
    {
        var split = raw.Replace("\r\n", "\n").Split("\n\n", 2);
        var headers = System.Text.RegularExpressions.Regex.Replace(split[0], "\n[ \t]+", " ");
        headers = System.Text.RegularExpressions.Regex.Replace(
            headers,
            @"=\?utf-8\?B\?([^?]*)\?=\s*",
            m => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)),
            System.Text.RegularExpressions.RegexOptions.IgnoreCase
        );
        var body = split.Length > 1 ? split[1] : "";
        if (headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase))
            body = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c)))));
        return headers + "\n\n" + body;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}

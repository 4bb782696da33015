using System.Text;
using System.Text.Json;
using Cnh.EndToEnd.Tests.Infrastructure;

namespace Cnh.EndToEnd.Tests;

/// <summary>
/// A corpus of hostile values, put into every field of every write endpoint: each answer is a 4xx problem, never a
/// 500, and nothing is stored. (Free-text fields such as a note may legitimately hold "' OR 1=1", so SQL-looking text
/// goes only where it is invalid: codes, periods, numbers. A lone surrogate in free text is replaced with U+FFFD by the
/// JSON reader, which is storable, so free-text fields get only what cannot be stored. A huge but finite number is
/// implausible rather than hostile: plausibility bounds are the catalogue's business.)
/// </summary>
[Collection(PlatformCollection.Name)]
public class HostileInputTests(Platform platform)
{
    static readonly string[] InjectionStrings =
    [
        "' OR '1'='1",
        "KT05'; DROP TABLE submissions; --",
        "<script>alert(1)</script>",
        "../../../../etc/passwd",
        "${jndi:ldap://127.0.0.1/a}",
        "２０２４",
        "",
    ];

    static readonly string[] UnstorableStrings = ["\u0000", "KT05\u0000", "\u0007\u001b[31m", new string('A', 100_000)];
    static readonly string[] BrokenUtf16 = ["\ud800", "a\udc00b"];

    static readonly string[] WrongTypesAndNumbers =
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e309",
        "-1e309",
        "true",
        "null",
        "[]",
        "{}",
        "123",
        "\"NaN\"",
        "99999999999999999999999999999",
    ];

    static readonly string[] MalformedBodies =
    [
        "",
        "null",
        "[]",
        "\"text\"",
        "{",
        "{}}",
        "{\"indicatorCode\":\"KT05\",\"indicatorCode\":\"KT01\",\"period\":\"2024\",\"value\":1}",
        new string('[', 2000) + new string(']', 2000),
        "\uFEFF{\"a\":1}x",
    ];

    [Fact]
    public async Task When_hostile_values_are_submitted_every_answer_is_4xx_and_nothing_is_stored()
    {
        var bodies = HostileSubmissions();
        const string stored = "SELECT count(*) FROM submissions";
        const string published = "SELECT count(*) FROM outbox_messages WHERE message_type = 'Cnh.Contracts.SubmissionAccepted'";
        var (storedBefore, publishedBefore) = (
            await platform.ScalarAsync("submissions", stored),
            await platform.ScalarAsync("submissions", published)
        );

        var offenders = await SendAllAsync(HttpMethod.Post, "/api/submissions", "dept-tc", bodies);

        HostileReport.Write();
        offenders.Should().BeEmpty();
        (await platform.ScalarAsync("submissions", stored)).Should().Be(storedBefore);
        (await platform.ScalarAsync("submissions", published)).Should().Be(publishedBefore);
    }

    [Fact]
    public async Task When_hostile_values_come_in_a_batch_every_answer_is_4xx_and_nothing_is_stored()
    {
        // Each hostile submission as the only row of a JSON batch, the malformed bodies as whole batches, and CSV.
        var json = HostileSubmissions().Select(c => (c.Label, MalformedBodies.Contains(c.Body) ? c.Body : $"[{c.Body}]")).ToList();
        var csv = WrongTypesAndNumbers
            .Where(v => v is not ("123" or "99999999999999999999999999999"))
            .Concat(InjectionStrings)
            .Concat(UnstorableStrings)
            .Select(v => ($"csv value {Show(v)}", $"indicatorCode,period,value\nKT05,2024,{v}\n"))
            .Concat([
                ("csv no header", ""),
                ("csv unknown column", "indicatorCode,period,value,drop\nKT05,2024,1,x\n"),
                ("csv quote never closed", "indicatorCode,period,value,note\nKT05,2024,1,\"open\n"),
                ("csv NUL", "indicatorCode,period,value\nKT05\u0000,2024,1\n"),
            ])
            .ToList();
        const string stored = "SELECT count(*) FROM submissions";
        var storedBefore = await platform.ScalarAsync("submissions", stored);

        var offenders = await SendAllAsync(HttpMethod.Post, "/api/submissions/batch", "dept-tc", json);
        offenders.AddRange(await SendAllAsync(HttpMethod.Post, "/api/submissions/batch", "dept-tc", csv, "text/csv"));

        HostileReport.Write();
        offenders.Should().BeEmpty();
        (await platform.ScalarAsync("submissions", stored)).Should().Be(storedBefore);
    }

    static List<(string Label, string Body)> HostileSubmissions()
    {
        var baseline = new Dictionary<string, string>
        {
            ["indicatorCode"] = "\"KT05\"",
            ["period"] = "\"2024\"",
            ["value"] = "7",
            ["note"] = "\"n\"",
            ["source"] = "\"s\"",
        };
        var bodies = MalformedBodies.Select(b => (Show(b), b)).ToList();
        foreach (var field in baseline.Keys)
        {
            var values = field switch
            {
                "note" or "source" => UnstorableStrings.Select(Json).Concat(["123", "[]", "{}", "true"]),
                "value" => InjectionStrings
                    .Concat(UnstorableStrings)
                    .Concat(BrokenUtf16)
                    .Select(Json)
                    .Concat(WrongTypesAndNumbers.Where(v => v is not ("123" or "99999999999999999999999999999"))),
                _ => InjectionStrings.Concat(UnstorableStrings).Concat(BrokenUtf16).Select(Json).Concat(WrongTypesAndNumbers),
            };
            bodies.AddRange(values.Select(v => Case(baseline, field, v)));
        }
        return bodies;
    }

    [Fact]
    public async Task When_hostile_values_are_put_into_an_indicator_definition_every_answer_is_4xx_and_the_version_stays()
    {
        var current = await platform.GetJsonAsync("/api/catalogue/indicators/KT08", "admin");
        var indicatorsBefore = await platform.ScalarAsync("catalogue", "SELECT count(*) FROM indicators");
        var baseline = new Dictionary<string, string>();
        foreach (var p in current.EnumerateObject().Where(p => p.Name is not ("version" or "retired" or "updatedAt" or "catalogue")))
            baseline[p.Name] = p.Value.GetRawText();
        var bodies = MalformedBodies.Select(b => (Show(b), b)).ToList();
        foreach (var field in new[] { "code", "group", "direction", "responsibleDepartment", "reportingFrequency", "confidence" })
            bodies.AddRange(
                InjectionStrings
                    .Concat(UnstorableStrings)
                    .Concat(BrokenUtf16)
                    .Select(Json)
                    .Concat(WrongTypesAndNumbers)
                    .Select(v => Case(baseline, field, v))
            );
        foreach (var field in new[] { "nameVi", "nameEn", "unit", "source" })
            bodies.AddRange(UnstorableStrings.Select(Json).Concat(["123", "[]", "{}"]).Select(v => Case(baseline, field, v)));
        foreach (var field in new[] { "weight", "baseline", "targets", "coordinatingDepartments" })
            bodies.AddRange(
                WrongTypesAndNumbers
                    .Where(v => (v is not "null" || field is "targets") && (v is not "[]" || field is not "coordinatingDepartments"))
                    .Concat(["[null]", "\"x\""])
                    .Select(v => Case(baseline, field, v))
            );
        foreach (
            var target in new[]
            {
                "{\"year\":2025,\"min\":NaN,\"op\":\">=\"}",
                "{\"year\":2025,\"min\":1e309,\"op\":\">=\"}",
                "{\"year\":\"2025\",\"min\":1,\"op\":\">=\"}",
                "{\"year\":2025,\"min\":1,\"op\":\"' OR 1=1\"}",
                "{\"year\":99999999999,\"min\":1,\"op\":\">=\"}",
            }
        )
            bodies.Add(Case(baseline, "targets", $"[{target}]"));

        var offenders = await SendAllAsync(HttpMethod.Put, "/api/catalogue/indicators/KT08", "admin", bodies);
        foreach (var code in new[] { "'%20OR%201=1", "%00", "KT08%00", Uri.EscapeDataString(new string('K', 5000)) })
        {
            var response = await platform.SendAsync(
                HttpMethod.Put,
                $"/api/catalogue/indicators/{code}",
                "admin",
                Body(baseline, "code", "\"KT08\"")
            );
            if ((int)response.StatusCode is < 400 or >= 500)
                offenders.Add($"path {code} → {(int)response.StatusCode}");
        }

        HostileReport.Write();
        offenders.Should().BeEmpty();
        (await platform.ScalarAsync("catalogue", "SELECT version FROM indicators WHERE code = 'KT08'")).Should().Be(1);
        (await platform.ScalarAsync("catalogue", "SELECT count(*) FROM indicators")).Should().Be(indicatorsBefore);
    }

    [Fact]
    public async Task When_hostile_values_are_sent_for_a_token_every_answer_is_4xx()
    {
        var offenders = new List<string>();
        // From an address of its own: these failures count against it, not against the address the other tests use.
        // Each request names another client id, so that the per-client limit does not answer 429 in place of the server.
        using var http = LoopbackClient.From("127.0.0.22");
        var sent = 0;
        foreach (var field in new[] { "grant_type", "client_id", "client_secret" })
        {
            foreach (var value in InjectionStrings.Concat(UnstorableStrings).Concat(BrokenUtf16))
            {
                var form = new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = $"hostile-{sent++}",
                    ["client_secret"] = "x",
                };
                form[field] = value;
                var response = await http.PostAsync(platform.Url("/auth/token"), new FormUrlEncodedContent(form));
                HostileReport.Count((int)response.StatusCode);
                if ((int)response.StatusCode is < 400 or >= 500 or 429)
                    offenders.Add($"{field}={Show(value)} → {(int)response.StatusCode}");
            }
        }
        foreach (var raw in new[] { "not a form", "grant_type=client_credentials&client_id=%ZZ", "" })
        {
            var response = await http.PostAsync(platform.Url("/auth/token"), new StringContent(raw, Encoding.UTF8, "application/json"));
            HostileReport.Count((int)response.StatusCode);
            if ((int)response.StatusCode is < 400 or >= 500)
                offenders.Add($"body {Show(raw)} → {(int)response.StatusCode}");
        }

        HostileReport.Write();
        offenders.Should().BeEmpty();
    }

    async Task<List<string>> SendAllAsync(
        HttpMethod method,
        string path,
        string client,
        IEnumerable<(string Label, string Body)> cases,
        string mediaType = "application/json"
    )
    {
        var offenders = new List<string>();
        foreach (var (label, body) in cases)
        {
            var response = await platform.SendAsync(method, path, client, body, r =>
                r.Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType)
            );
            var status = (int)response.StatusCode;
            HostileReport.Count(status);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            if (status is < 400 or >= 500 || !problem)
                offenders.Add($"{label} → {status} {response.Content.Headers.ContentType}");
        }
        return offenders;
    }

    [Fact]
    public async Task When_query_parameters_headers_and_titles_are_malformed_every_answer_is_a_4xx_problem_naming_the_field()
    {
        var feeds = new[]
        {
            ("/api/notifications", "viewer"),
            ("/api/catalogue/audit", "admin"),
            ("/api/submissions/audit", "admin"),
            ("/api/clients/audit", "admin"),
            ("/api/notifications/audit", "admin"),
        };
        var offenders = new List<string>();
        async Task Expect(HttpResponseMessage response, string label, int expected, string? field = null)
        {
            var status = (int)response.StatusCode;
            HostileReport.Count(status);
            var body = await response.Content.ReadAsStringAsync();
            if (status != expected)
                offenders.Add($"{label} → {status} {body[..Math.Min(body.Length, 200)]}");
            else if (field is not null && !JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _))
                offenders.Add($"{label} → {status} without errors.{field}: {body}");
        }

        foreach (var (path, client) in feeds)
        {
            // Hanoi's own offset is a valid instant (the '+' percent-encoded; a bare '+' is a space, so a malformed date).
            await Expect(
                await platform.SendAsync(HttpMethod.Get, $"{path}?since=2025-01-01T00:00:00%2B07:00", client),
                $"{path} since +07:00",
                200
            );
            await Expect(
                await platform.SendAsync(HttpMethod.Get, $"{path}?since=2025-01-01T00:00:00+07:00", client),
                $"{path} since with a space",
                400,
                "since"
            );
            await Expect(await platform.SendAsync(HttpMethod.Get, $"{path}?since=abc", client), $"{path} since=abc", 400, "since");
            await Expect(await platform.SendAsync(HttpMethod.Get, $"{path}?limit=abc", client), $"{path} limit=abc", 400, "limit");
            await Expect(
                await platform.SendAsync(HttpMethod.Get, $"{path}?limit=99999999999", client),
                $"{path} limit overflow",
                400,
                "limit"
            );
            await Expect(await platform.SendAsync(HttpMethod.Get, $"{path}?entity=%00", client), $"{path} NUL", 400, "entity");
        }

        // A header value that is not ASCII is refused at the gateway, whatever the route.
        using var utf8 = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 });
        foreach (var path in new[] { "/api/scores", "/auth/token", "/", "/open-data/latest/data.csv", "/api/clients" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, platform.Url(path));
            request.Headers.TryAddWithoutValidation("X-Department", "Sở Tài chính");
            await Expect(await utf8.SendAsync(request), $"{path} non-ASCII header", 400, "X-Department");
        }

        // A title PostgreSQL cannot store is the client's mistake (422 on the field), not a "concurrent change".
        var export = await platform.GetJsonAsync("/api/catalogue/export", "admin");
        var document = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(export.GetRawText())!;
        document["title"] = JsonSerializer.SerializeToElement("Chương trình\u0000");
        var import = await platform.SendAsync(
            HttpMethod.Post,
            "/api/catalogue/import?dryRun=true",
            "admin",
            JsonSerializer.Serialize(document)
        );
        await Expect(import, "catalogue title with NUL", 422, "title");

        // A client's malformed parameter is one line at Information, not an error with a stack trace.
        foreach (var service in new[] { "gateway", "catalogue", "submissions", "notifications" })
            (await File.ReadAllTextAsync(platform.Services[service].LogFile)).Should().NotContain("BadHttpRequestException", service);

        HostileReport.Write();
        offenders.Should().BeEmpty();
    }

    static string Json(string value) => JsonSerializer.Serialize(value);

    static (string Label, string Body) Case(Dictionary<string, string> baseline, string field, string raw) =>
        ($"{field}={Show(raw)}", Body(baseline, field, raw));

    static string Body(Dictionary<string, string> baseline, string field, string raw) =>
        "{" + string.Join(",", baseline.Select(kv => $"\"{kv.Key}\":{(kv.Key == field ? raw : kv.Value)}")) + "}";

    static string Show(string s) => s.Length > 120 ? s[..120] + $"…({s.Length} chars)" : s;
}

/// <summary>What the hostile suite sent, for ./cnh test's summary (hostile-report.txt beside the fault report).</summary>
public static class HostileReport
{
    static int _sent,
        _serverErrors;

    public static void Count(int status)
    {
        Interlocked.Increment(ref _sent);
        if (status >= 500)
            Interlocked.Increment(ref _serverErrors);
    }

    /// <summary>The totals so far (the last line written is the run's).</summary>
    public static void Write()
    {
        var home = Environment.GetEnvironmentVariable("CNH_HOME") ?? Path.Combine(TestEnvironment.Root, ".cnh");
        File.AppendAllText(
            Path.Combine(home, "hostile-report.txt"),
            $"hostile requests sent: {_sent}, 5xx seen: {_serverErrors}{Environment.NewLine}"
        );
    }
}

using System.Net;
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
        "' OR '1'='1", "KT05'; DROP TABLE submissions; --", "<script>alert(1)</script>", "../../../../etc/passwd",
        "${jndi:ldap://127.0.0.1/a}", "２０２４", "",
    ];

    static readonly string[] UnstorableStrings = ["\u0000", "KT05\u0000", "\u0007\u001b[31m", new string('A', 100_000)];
    static readonly string[] BrokenUtf16 = ["\ud800", "a\udc00b"];

    static readonly string[] WrongTypesAndNumbers =
    [
        "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "true", "null", "[]", "{}", "123", "\"NaN\"", "99999999999999999999999999999",
    ];

    static readonly string[] MalformedBodies =
    [
        "", "null", "[]", "\"text\"", "{", "{}}", "{\"indicatorCode\":\"KT05\",\"indicatorCode\":\"KT01\",\"period\":\"2024\",\"value\":1}",
        new string('[', 2000) + new string(']', 2000), "\uFEFF{\"a\":1}x",
    ];

    [Fact]
    public async Task When_hostile_values_are_submitted_every_answer_is_4xx_and_nothing_is_stored()
    {
        var bodies = HostileSubmissions();
        const string stored = "SELECT count(*) FROM submissions";
        const string published = "SELECT count(*) FROM outbox_messages WHERE message_type = 'Cnh.Contracts.SubmissionAccepted'";
        var (storedBefore, publishedBefore) = (await platform.ScalarAsync("submissions", stored), await platform.ScalarAsync("submissions", published));

        var offenders = await SendAllAsync(HttpMethod.Post, "/api/submissions", "dept-tc", bodies);

        offenders.Should().BeEmpty();
        (await platform.ScalarAsync("submissions", stored)).Should().Be(storedBefore);
        (await platform.ScalarAsync("submissions", published)).Should().Be(publishedBefore);
    }

    [Fact]
    public async Task When_hostile_values_come_in_a_batch_every_answer_is_4xx_and_nothing_is_stored()
    {
        // Each hostile submission as the only row of a JSON batch, the malformed bodies as whole batches, and CSV.
        var json = HostileSubmissions().Select(c => (c.Label, MalformedBodies.Contains(c.Body) ? c.Body : $"[{c.Body}]")).ToList();
        var csv = WrongTypesAndNumbers.Where(v => v is not ("123" or "99999999999999999999999999999")).Concat(InjectionStrings).Concat(UnstorableStrings)
            .Select(v => ($"csv value {Show(v)}", $"indicatorCode,period,value\nKT05,2024,{v}\n"))
            .Concat([("csv no header", ""), ("csv unknown column", "indicatorCode,period,value,drop\nKT05,2024,1,x\n"),
                     ("csv quote never closed", "indicatorCode,period,value,note\nKT05,2024,1,\"open\n"), ("csv NUL", "indicatorCode,period,value\nKT05\u0000,2024,1\n")])
            .ToList();
        const string stored = "SELECT count(*) FROM submissions";
        var storedBefore = await platform.ScalarAsync("submissions", stored);

        var offenders = await SendAllAsync(HttpMethod.Post, "/api/submissions/batch", "dept-tc", json);
        offenders.AddRange(await SendAllAsync(HttpMethod.Post, "/api/submissions/batch", "dept-tc", csv, "text/csv"));

        offenders.Should().BeEmpty();
        (await platform.ScalarAsync("submissions", stored)).Should().Be(storedBefore);
    }

    static List<(string Label, string Body)> HostileSubmissions()
    {
        var baseline = new Dictionary<string, string>
        {
            ["indicatorCode"] = "\"KT05\"", ["period"] = "\"2024\"", ["value"] = "7", ["note"] = "\"n\"", ["source"] = "\"s\"",
        };
        var bodies = MalformedBodies.Select(b => (Show(b), b)).ToList();
        foreach (var field in baseline.Keys)
        {
            var values = field switch
            {
                "note" or "source" => UnstorableStrings.Select(Json).Concat(["123", "[]", "{}", "true"]),
                "value" => InjectionStrings.Concat(UnstorableStrings).Concat(BrokenUtf16).Select(Json)
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
            bodies.AddRange(InjectionStrings.Concat(UnstorableStrings).Concat(BrokenUtf16).Select(Json).Concat(WrongTypesAndNumbers).Select(v => Case(baseline, field, v)));
        foreach (var field in new[] { "nameVi", "nameEn", "unit", "source" })
            bodies.AddRange(UnstorableStrings.Select(Json).Concat(["123", "[]", "{}"]).Select(v => Case(baseline, field, v)));
        foreach (var field in new[] { "weight", "baseline", "targets", "coordinatingDepartments" })
            bodies.AddRange(WrongTypesAndNumbers.Where(v => (v is not "null" || field is "targets") && (v is not "[]" || field is not "coordinatingDepartments")).Concat(["[null]", "\"x\""]).Select(v => Case(baseline, field, v)));
        foreach (var target in new[] { "{\"year\":2025,\"min\":NaN,\"op\":\">=\"}", "{\"year\":2025,\"min\":1e309,\"op\":\">=\"}",
                     "{\"year\":\"2025\",\"min\":1,\"op\":\">=\"}", "{\"year\":2025,\"min\":1,\"op\":\"' OR 1=1\"}", "{\"year\":99999999999,\"min\":1,\"op\":\">=\"}" })
            bodies.Add(Case(baseline, "targets", $"[{target}]"));

        var offenders = await SendAllAsync(HttpMethod.Put, "/api/catalogue/indicators/KT08", "admin", bodies);
        foreach (var code in new[] { "'%20OR%201=1", "%00", "KT08%00", Uri.EscapeDataString(new string('K', 5000)) })
        {
            var response = await platform.SendAsync(HttpMethod.Put, $"/api/catalogue/indicators/{code}", "admin", Body(baseline, "code", "\"KT08\""));
            if ((int)response.StatusCode is < 400 or >= 500) offenders.Add($"path {code} → {(int)response.StatusCode}");
        }

        offenders.Should().BeEmpty();
        (await platform.ScalarAsync("catalogue", "SELECT version FROM indicators WHERE code = 'KT08'")).Should().Be(1);
        (await platform.ScalarAsync("catalogue", "SELECT count(*) FROM indicators")).Should().Be(indicatorsBefore);
    }

    [Fact]
    public async Task When_hostile_values_are_sent_for_a_token_every_answer_is_4xx()
    {
        var offenders = new List<string>();
        foreach (var field in new[] { "grant_type", "client_id", "client_secret" })
        foreach (var value in InjectionStrings.Concat(UnstorableStrings).Concat(BrokenUtf16))
        {
            var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "hostile", ["client_secret"] = "x" };
            form[field] = value;
            var response = await platform.Http.PostAsync(platform.Url("/auth/token"), new FormUrlEncodedContent(form));
            if ((int)response.StatusCode is < 400 or >= 500) offenders.Add($"{field}={Show(value)} → {(int)response.StatusCode}");
        }
        foreach (var raw in new[] { "not a form", "grant_type=client_credentials&client_id=%ZZ", "" })
        {
            var response = await platform.Http.PostAsync(platform.Url("/auth/token"), new StringContent(raw, Encoding.UTF8, "application/json"));
            if ((int)response.StatusCode is < 400 or >= 500) offenders.Add($"body {Show(raw)} → {(int)response.StatusCode}");
        }

        offenders.Should().BeEmpty();
    }

    async Task<List<string>> SendAllAsync(HttpMethod method, string path, string client, IEnumerable<(string Label, string Body)> cases,
        string mediaType = "application/json")
    {
        var offenders = new List<string>();
        foreach (var (label, body) in cases)
        {
            var response = await platform.SendAsync(method, path, client, body,
                r => r.Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType));
            var status = (int)response.StatusCode;
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            if (status is < 400 or >= 500 || !problem) offenders.Add($"{label} → {status} {response.Content.Headers.ContentType}");
        }
        return offenders;
    }

    static string Json(string value) => JsonSerializer.Serialize(value);

    static (string Label, string Body) Case(Dictionary<string, string> baseline, string field, string raw) =>
        ($"{field}={Show(raw)}", Body(baseline, field, raw));

    static string Body(Dictionary<string, string> baseline, string field, string raw) =>
        "{" + string.Join(",", baseline.Select(kv => $"\"{kv.Key}\":{(kv.Key == field ? raw : kv.Value)}")) + "}";

    static string Show(string s) => s.Length > 120 ? s[..120] + $"…({s.Length} chars)" : s;
}

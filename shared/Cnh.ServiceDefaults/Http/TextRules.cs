using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cnh.ServiceDefaults;

/// <summary>
/// Text a client sends must be storable and printable: no control characters (PostgreSQL cannot even store NUL) and no
/// broken UTF-16 (a lone surrogate cannot be encoded as UTF-8). Rejecting it early turns a would-be 500 into a 4xx.
/// </summary>
public static class TextRules
{
    public static bool IsSafe(string? text, bool allowLineBreaks = false)
    {
        if (text is null)
            return true;
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                return false;
            if (Rune.IsControl(rune) && !(allowLineBreaks && rune.Value is '\n' or '\r' or '\t'))
                return false;
            span = span[consumed..];
        }
        return true;
    }

    /// <summary>400 for a path or query that carries control characters, before any handler queries with it.</summary>
    public static IApplicationBuilder RejectUnsafeRequestTargets(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                var request = context.Request;
                var unsafeQuery = request.Query.FirstOrDefault(q => !IsSafe(q.Key) || q.Value.Any(v => !IsSafe(v)));
                if (!IsSafe(request.Path.Value) || unsafeQuery.Key is not null)
                {
                    var field = unsafeQuery.Key is not null ? unsafeQuery.Key : "path";
                    await JsonBody
                        .Invalid(
                            IsSafe(field) ? field : "query",
                            "Control characters are not allowed.",
                            StatusCodes.Status400BadRequest,
                            "Invalid request target"
                        )
                        .ExecuteAsync(context);
                    return;
                }
                await next(context);
            }
        );
}

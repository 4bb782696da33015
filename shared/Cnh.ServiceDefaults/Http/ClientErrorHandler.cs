using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cnh.ServiceDefaults;

/// <summary>
/// A request the framework cannot bind (<c>limit=abc</c>, a malformed date, an oversized body) is the client's mistake:
/// its own 4xx as problem details naming the parameter, and one line at Information in the log — not a 500, not a
/// stack trace at Error. Minimal APIs throw for it in every environment so that it always comes here.
/// </summary>
public sealed partial class ClientErrorHandler(IProblemDetailsService problems, ILogger<ClientErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        logger.LogInformation(
            "Refused {Method} {Path} with {Status}: {Reason}",
            context.Request.Method,
            context.Request.Path,
            bad.StatusCode,
            bad.Message
        );
        context.Response.StatusCode = bad.StatusCode;
        var field = Parameter().Match(bad.Message) is { Success: true } m ? m.Groups["name"].Value : null;
        var problem = field is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Bad request",
                Detail = bad.Message,
            }
            : new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [bad.Message] })
            {
                Status = bad.StatusCode,
                Title = "Invalid parameter",
                Detail = $"'{field}' has a value of the wrong form.",
            };
        return await problems.TryWriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = problem,
                Exception = exception,
            }
        );
    }

    /// <summary>The framework's wording: Failed to bind parameter "int? limit" from "abc".</summary>
    [GeneratedRegex("""parameter "(?:[^"]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)" from""")]
    private static partial Regex Parameter();
}

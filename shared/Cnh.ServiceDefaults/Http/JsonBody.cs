using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cnh.ServiceDefaults;

/// <summary>Request-body reading that turns every client mistake into problem details naming the offending field.</summary>
public static class JsonBody
{
    public const long DefaultMaxBytes = 1024 * 1024;

    public static async Task<JsonBodyResult<T>> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType())
            return new(
                null,
                Results.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported media type",
                    detail: "Send the body as application/json."
                )
            );
        var options = request
            .HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            .Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, ct);
            return value is null
                ? new(null, Invalid("$", "The body must be a JSON object.", StatusCodes.Status400BadRequest))
                : new(value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return new(
                null,
                Invalid(field, "Malformed JSON or a value of the wrong type.", StatusCodes.Status400BadRequest, "Malformed request body")
            );
        }
    }

    public static IResult Invalid(
        string field,
        string message,
        int status = StatusCodes.Status422UnprocessableEntity,
        string title = "Validation failed"
    ) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, statusCode: status, title: title);

    public static IResult Invalid(IDictionary<string, string[]> errors, int status = StatusCodes.Status422UnprocessableEntity) =>
        Results.ValidationProblem(errors, statusCode: status, title: "Validation failed");
}

using Cnh.ServiceDefaults;

namespace Cnh.Catalogue.Documents;

/// <summary>
/// The rules every coded thing of the catalogue shares (catalogues, groups, departments, indicators): a short code and,
/// for groups and departments, a Vietnamese and an English name.
/// </summary>
public static class CodeRules
{
    public const string CodeMessage = "1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit.";

    /// <summary>Starting with a letter or digit: never a path segment such as "." or "..", which a URL would resolve away.</summary>
    public static bool IsCode(string? code) =>
        code is { Length: > 0 and <= 32 }
        && char.IsAsciiLetterOrDigit(code[0])
        && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>A group's or department's code and names; field names carry <paramref name="prefix"/> (e.g. <c>groups[2].</c>).</summary>
    public static Dictionary<string, string[]> ValidateNamed(string? code, string? nameVi, string? nameEn, string prefix = "")
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsCode(code))
            errors[$"{prefix}code"] = [CodeMessage];
        foreach (var (field, value) in new[] { ("nameVi", nameVi), ("nameEn", nameEn) })
            if (string.IsNullOrWhiteSpace(value))
                errors[$"{prefix}{field}"] = ["Required."];
            else if (value.Length > 500)
                errors[$"{prefix}{field}"] = ["At most 500 characters."];
            else if (!TextRules.IsSafe(value))
                errors[$"{prefix}{field}"] = ["Control characters are not allowed."];
        return errors;
    }
}

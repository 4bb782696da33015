using Microsoft.AspNetCore.Http;

namespace Cnh.ServiceDefaults;

public sealed record JsonBodyResult<T>(T? Value, IResult? Error)
    where T : class;

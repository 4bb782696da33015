using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cnh.ServiceDefaults;

public sealed record JsonBodyResult<T>(T? Value, IResult? Error) where T : class;

using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cnh.ServiceDefaults;

public static class ClientErrors
{
    public static IServiceCollection AddClientErrorProblems(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ClientErrorHandler>();
        return services;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cnh.ServiceDefaults;

public static class CatalogueCatchUpExtensions
{
    public static void AddCatalogueCatchUp<TDb>(this IHostApplicationBuilder builder, string serviceName)
        where TDb : DbContext, IMessagingDbContext =>
        builder.Services.AddHostedService(sp => new CatalogueCatchUp<TDb>(sp.GetRequiredService<IServiceScopeFactory>(), serviceName));
}

using Cnh.Portal.Api;
using Cnh.Portal.Text;
using Microsoft.AspNetCore.Components;

namespace Cnh.Portal.Components.Shared;

/// <summary>What every page needs: the reader's language, its words, and the data as last read.</summary>
public abstract class PortalPage : ComponentBase
{
    [Inject]
    protected PortalData Data { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    protected Language L { get; } = Language.Current;
    protected UiText T => L.Text;
    protected PortalSnapshot Snapshot => Data.Current;

    protected string Url(string path, params (string Key, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value!)}").ToList();
        return parts.Count == 0 ? path : $"{path}?{string.Join('&', parts)}";
    }
}

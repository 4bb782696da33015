using System.Globalization;
using Cnh.Portal.Api;
using Cnh.Portal.Text;
using Microsoft.AspNetCore.Components;

namespace Cnh.Portal.Components.Shared;

/// <summary>What every page needs: the reader's language, its words, and the data as last read.</summary>
public abstract class PortalPage : ComponentBase, IDisposable
{
    [Inject] protected PortalData Data { get; set; } = null!;
    [Inject] protected NavigationManager Navigation { get; set; } = null!;

    protected Language L { get; } = Language.FromCode(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
    protected UiText T => L.Text;
    protected PortalSnapshot Snapshot => Data.Current;

    /// <summary>Pages shown live (rendered interactively) re-render when new scores arrive.</summary>
    protected virtual bool Live => false;

    protected override void OnInitialized()
    {
        if (Live && RendererInfo.IsInteractive) Data.Changed += OnDataChanged;
    }

    void OnDataChanged(PortalSnapshot _) => InvokeAsync(async () =>
    {
        await OnDataChangedAsync();
        StateHasChanged();
    });

    protected virtual Task OnDataChangedAsync() => Task.CompletedTask;

    /// <summary>"true" once the page is connected and follows new data (a hook for tests and for styling).</summary>
    protected string? LiveAttribute => Live && RendererInfo.IsInteractive ? "true" : null;

    protected string Url(string path, params (string Key, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value!)}").ToList();
        return parts.Count == 0 ? path : $"{path}?{string.Join('&', parts)}";
    }

    public void Dispose()
    {
        Data.Changed -= OnDataChanged;
        GC.SuppressFinalize(this);
    }
}

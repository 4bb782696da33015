namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>Disposes several things at the end of a test, together: e.g. retires the indicators a test made.</summary>
public sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await Task.WhenAll(items.Select(i => i.DisposeAsync().AsTask()));
}

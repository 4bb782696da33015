namespace Cnh.ServiceDefaults;

public static class ExceptionChain
{
    /// <summary>
    /// Whether the exception or one it wraps matches: the cause of a failure (a refused socket, a body too large) is
    /// often a few InnerExceptions down, under the HTTP client's or the database driver's own exception.
    /// </summary>
    public static bool CausedBy(this Exception? ex, Func<Exception, bool> match)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (match(ex))
                return true;
        return false;
    }
}

namespace Cnh.ServiceDefaults;

/// <summary>
/// Files with secrets in them: readable and writable by the owner only, from the moment they exist, and replaced whole
/// (written beside, then renamed over), so that a reader never sees a half-written file.
/// </summary>
public static class PrivateFiles
{
    public static void Write(string path, string content) => Write(path, System.Text.Encoding.UTF8.GetBytes(content));

    public static void Write(string path, byte[] content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var file = new FileStream(temporary, options))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}

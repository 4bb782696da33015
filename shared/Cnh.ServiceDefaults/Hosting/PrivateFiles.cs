namespace Cnh.ServiceDefaults;

/// <summary>Files with secrets in them: readable and writable by the owner only, from the moment they exist.</summary>
public static class PrivateFiles
{
    public static void Write(string path, string content) => Write(path, System.Text.Encoding.UTF8.GetBytes(content));

    public static void Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, options)) file.Write(content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

using System.Diagnostics;

namespace Cnh.EndToEnd.Tests.Infrastructure;

/// <summary>One service running as a real process (`dotnet Service.dll`), its output kept in a log file.</summary>
public sealed class ServiceProcess(string name, string dll, int port, Dictionary<string, string> environment, string logDirectory)
{
    /// <summary>Applies at the next <see cref="Start"/>.</summary>
    public Dictionary<string, string> Environment => environment;

    Process? _process;
    volatile bool _stopping;

    public string Name => name;
    public string Dll => dll;
    public int Port => port;
    public string BaseUrl => $"http://127.0.0.1:{port}";
    public string LogFile => Path.Combine(logDirectory, name + ".log");
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The process's peak resident memory (VmHWM) since it started or since <see cref="ResetPeakMemory"/>, in bytes.</summary>
    public long PeakMemoryBytes => Status("VmHWM:");

    public long MemoryBytes => Status("VmRSS:");

    /// <summary>Starts the peak over from the current resident memory (Linux: clear_refs 5).</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{_process!.Id}/clear_refs", "5");

    long Status(string field) =>
        File.ReadLines($"/proc/{_process!.Id}/status")
            .Where(l => l.StartsWith(field))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024)
            .Single();

    public void Start()
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} is missing: build the solution first (./cnh test does).");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        _stopping = false;
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        // A supervisor, as ./cnh and docker compose are: a service that exits by itself is started again.
        _process.Exited += (_, _) =>
        {
            if (_stopping)
                return;
            lock (log)
                log.WriteLine($"[test] {name} exited by itself; starting it again");
            Task.Delay(1000)
                .ContinueWith(_ =>
                {
                    if (!_stopping)
                        Start();
                });
        };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (log)
                    log.WriteLine(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (log)
                    log.WriteLine(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            // Exited by itself: the supervisor starts it again, so keep waiting; stopped on purpose: it will not come back.
            if (_process is { HasExited: true } && _stopping)
                throw new InvalidOperationException($"{name} exited with {_process.ExitCode}; see {LogFile}:\n{Tail()}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{name} not ready after {timeout}; see {LogFile}:\n{Tail()}");
    }

    /// <summary>SIGKILL: no graceful shutdown, as a crash would be.</summary>
    public void Kill()
    {
        _stopping = true;
        if (_process is { HasExited: false })
            _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
    }

    /// <summary>SIGTERM and wait, as an orchestrator stops a service.</summary>
    public void Stop()
    {
        _stopping = true;
        if (_process is not { HasExited: false })
            return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()]).WaitForExit();
        if (!_process.WaitForExit(30_000))
            _process.Kill(entireProcessTree: true);
    }

    string Tail() => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(40)) : "(no log)";
}

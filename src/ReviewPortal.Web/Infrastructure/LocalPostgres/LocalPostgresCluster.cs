using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ReviewPortal.Web.Infrastructure.LocalPostgres;

/// <summary>
/// A private PostgreSQL cluster on 127.0.0.1 and a free port, for development runs and tests when no
/// connection string is configured (docs/decisions/0006-local-postgresql.md). initdb refuses to run as
/// root, so as root the server runs as the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable, IDisposable
{
    public const string SuperUser = "portal";

    private readonly string _binDirectory;
    private readonly bool _deleteOnStop;
    private int _stopped;

    private LocalPostgresCluster(string dataDirectory, string binDirectory, int port, bool deleteOnStop)
    {
        DataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        Port = port;
        _deleteOnStop = deleteOnStop;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public static bool RunsAsRoot => Environment.UserName == "root";

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Pooling = true,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>
    /// Starts a cluster in <paramref name="dataDirectory"/>, creating it first if it is empty. An ephemeral
    /// cluster trades durability for speed (no fsync) and is deleted when stopped.
    /// </summary>
    public static async Task<LocalPostgresCluster> StartAsync(string dataDirectory, bool ephemeral, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory();
        dataDirectory = Path.GetFullPath(dataDirectory);
        PrepareDirectory(Path.GetDirectoryName(dataDirectory)!);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            PrepareDirectory(dataDirectory);
            List<string> initdb = ["-D", dataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--no-locale"];
            if (ephemeral)
            {
                initdb.Add("--no-sync");
            }

            await RunAsync(bin, "initdb", initdb, cancellationToken);
        }
        else if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            // Left running by a run that was killed: stop it so it starts again on a port we know.
            await RunAsync(bin, "pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"], cancellationToken, throwOnError: false);
        }

        var port = LoopbackPorts.Free();
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        if (ephemeral)
        {
            // Test processes host many portals at once (each with its pools, listener and workers): 100 is not enough.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500";
        }

        await RunAsync(bin, "pg_ctl", ["-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-o", options, "-w", "-t", "60", "start"], cancellationToken);
        var cluster = new LocalPostgresCluster(dataDirectory, bin, port, deleteOnStop: ephemeral);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand("CREATE DATABASE " + quoted, connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            RunAsync(_binDirectory, "pg_ctl", ["-D", DataDirectory, "-m", _deleteOnStop ? "immediate" : "fast", "-w", "stop"], CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (InvalidOperationException ex)
        {
            // Logging may already be shut down at this point; stderr is still there.
            Console.Error.WriteLine($"Stopping the local PostgreSQL in {DataDirectory} failed: {ex.Message}");
        }
        if (_deleteOnStop)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover folder under /tmp is harmless; failing a test run over it is not.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A folder for a cluster under <paramref name="preferred"/>, or under /tmp when the postgres user cannot reach it.</summary>
    public static string ChooseDataDirectory(string preferred, string name)
    {
        var candidate = Path.Combine(Path.GetFullPath(preferred), name);
        if (!RunsAsRoot || IsReachableByOthers(Path.GetDirectoryName(candidate)!))
        {
            return candidate;
        }

        return Path.Combine(Path.GetTempPath(), "reviewportal-postgres", name);
    }

    private static bool IsReachableByOthers(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && (dir.UnixFileMode & UnixFileMode.OtherExecute) == UnixFileMode.None)
            {
                return false;
            }
        }

        return true;
    }

    private static void PrepareDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        if (RunsAsRoot)
        {
            RunAsync("/usr/bin", "chown", ["postgres:postgres", directory], CancellationToken.None, asPostgres: false).GetAwaiter().GetResult();
        }
    }

    private static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("POSTGRES_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin. Install PostgreSQL, set POSTGRES_BIN, or set ConnectionStrings:Portal.");
    }

    private static async Task RunAsync(string bin, string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnError = true, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && RunsAsRoot)
        {
            start.FileName = "runuser";
            foreach (var arg in new[] { "-u", "postgres", "--", Path.Combine(bin, tool) })
            {
                start.ArgumentList.Add(arg);
            }
        }
        else
        {
            start.FileName = Path.Combine(bin, tool);
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace ReviewPortal.Web.Infrastructure;

public static class LoopbackPorts
{
    /// <summary>A port on 127.0.0.1 that nothing listened on a moment ago, for a process started next to choose.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System;
using Gvnic.VfioUser.Server;

namespace Gvnic.VfioUser.Tests;

/// <summary>A server over a <see cref="FakeDevice"/> and a negotiated test client; disposing closes both.</summary>
internal sealed class Served : IDisposable
{
    public Served(bool negotiate = true, VfioUserServerOptions? options = null)
    {
        Device = new FakeDevice();
        Server = new VfioUserServer(Device, options);
        Client = negotiate ? TestClient.Negotiated(Server) : TestClient.Connect(Server);
    }

    public FakeDevice Device { get; }

    public VfioUserServer Server { get; }

    public TestClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}

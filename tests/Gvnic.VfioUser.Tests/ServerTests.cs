using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.VfioUser.Server;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests;

public sealed class ServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gvnic-vfio-user-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ClientsOfTheListeningSocketAreServedOneAfterAnotherAndKeepTheDevicesState()
    {
        string path = Path.Combine(_dir, "gvnic.sock");
        var device = new FakeDevice();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var server = new VfioUserServer(device, new VfioUserServerOptions { Log = lines.Enqueue });
        server.Listen(path);
        using var stop = new CancellationTokenSource();
        Task running = Task.Factory.StartNew(() => server.Run(stop.Token), TaskCreationOptions.LongRunning);

        using (TestClient first = TestClient.ConnectTo(path))
        {
            Assert.False(first.Version(TestClient.QemuCapabilities).IsError);
            first.Request(Command.RegionWrite, Messages.RegionWrite(0, 0x40, [1, 2, 3, 4]));
        }

        using (TestClient second = TestClient.ConnectTo(path))
        {
            Assert.False(second.Version(TestClient.QemuCapabilities).IsError);
            Received read = second.Request(Command.RegionRead, Messages.RegionRead(0, 0x40, 4));
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, read.Body[16..]);
        }

        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Statistics.Connections);
        Assert.Contains("vfio-user: client connected", lines);
        Assert.Contains("vfio-user: client disconnected", lines);
    }

    [Fact]
    public async Task CancellingStopsAServedClient()
    {
        string path = Path.Combine(_dir, "gvnic.sock");
        using var server = new VfioUserServer(new FakeDevice());
        server.Listen(path);
        using var stop = new CancellationTokenSource();
        Task running = Task.Factory.StartNew(() => server.Run(stop.Token), TaskCreationOptions.LongRunning);
        using TestClient client = TestClient.ConnectTo(path);
        Assert.False(client.Version(null).IsError);

        stop.Cancel();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(client.ServerClosed());
    }

    [Fact]
    public void AStaleSocketFileIsReplacedAndDisposeRemovesTheSocket()
    {
        string path = Path.Combine(_dir, "stale.sock");
        using (var first = new VfioUserServer(new FakeDevice()))
        {
            first.Listen(path);
        }

        Assert.False(File.Exists(path));
        int fd = Interop.Posix.UnixStreamSocket();
        Assert.Equal(0, Interop.Posix.Bind(fd, path));   // a socket file no one listens on
        Interop.Posix.Close(fd);

        using var server = new VfioUserServer(new FakeDevice());
        server.Listen(path);
        using TestClient client = TestClient.ConnectTo(path);
        Assert.Equal(1, Interop.Posix.IsSocket(path));
    }

    [Fact]
    public void APathThatIsNoSocketOrIsInUseIsRefused()
    {
        string file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "not a socket");
        using var server = new VfioUserServer(new FakeDevice());
        Assert.Contains("is not a socket", Assert.Throws<IOException>(() => server.Listen(file)).Message);
        Assert.Contains("is not a socket", Assert.Throws<IOException>(() => server.Listen(_dir)).Message);

        string path = Path.Combine(_dir, "busy.sock");
        using var other = new VfioUserServer(new FakeDevice());
        other.Listen(path);
        Assert.Contains("another server listens", Assert.Throws<IOException>(() => server.Listen(path)).Message);
        Assert.Contains("107 bytes", Assert.Throws<IOException>(() => server.Listen(Path.Combine(_dir, new string('x', 120)))).Message);
    }

    [Fact]
    public void OptionsOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VfioUserServer(new FakeDevice(), new VfioUserServerOptions { MaxDataTransferSize = 100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VfioUserServer(new FakeDevice(), new VfioUserServerOptions { MaxMessageFds = 17 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VfioUserServer(new FakeDevice(), new VfioUserServerOptions { MaxDmaMappings = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VfioUserServer(new FakeDevice(), new VfioUserServerOptions { DmaReplyTimeout = TimeSpan.Zero }));
    }
}

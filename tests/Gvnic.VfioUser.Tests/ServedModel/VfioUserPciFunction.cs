using System;
using Gvnic.Platform;
using Gvnic.VfioUser.Server;
using Gvnic.VfioUser.Wire;
using Gvnic.Wire;

namespace Gvnic.VfioUser.Tests.ServedModel;

/// <summary>
/// The served function as our driver sees a PCI function (<see cref="IPciFunction"/>), every piece over vfio-user: BARs
/// by region messages, configuration space for bus mastering and MSI-X, DMA memory from a memfd passed with DMA_MAP, and
/// MSI-X through eventfds. So the driver core runs against the model across the protocol, as a guest kernel does.
/// </summary>
internal sealed class VfioUserPciFunction : IPciFunction
{
    private readonly object _gate = new();
    private readonly TestClient _client;
    private readonly ClientDma _dma;
    private readonly ClientInterrupts _interrupts;

    public VfioUserPciFunction(VfioUserServer server, ClientDmaLayout layout, long ramBytes = 64 << 20)
    {
        _client = TestClient.Negotiated(server);
        Bar0 = new ClientMmio(this, 0);
        Bar2 = new ClientMmio(this, 2);
        Bar2Length = (long)server.Function.BarSize(2);
        _dma = new ClientDma(this, layout, ramBytes);
        _interrupts = new ClientInterrupts(this, server.Function.MsixVectors);
        RevisionId = Request(Command.RegionRead, Messages.RegionRead(7, 8, 1)).Body[RegionAccess.Size];
    }

    public string Address => "vfio-user:test";

    public ushort VendorId => 0x1AE0;

    public ushort DeviceId => 0x0042;

    public byte RevisionId { get; }

    public IMmioRegion Bar0 { get; }

    public IMmioRegion Bar2 { get; }

    public long Bar2Length { get; }

    public IDmaAllocator Dma => _dma;

    public IInterruptController Interrupts => _interrupts;

    /// <summary>The client's DMA memory (mapping counts).</summary>
    public ClientDma ClientDma => _dma;

    /// <summary>The client's eventfds (interrupts taken).</summary>
    public ClientInterrupts ClientInterrupts => _interrupts;

    public void EnableBusMaster() => Request(Command.RegionWrite, Messages.RegionWrite(7, 4, [0x06, 0x00]));

    public void DisableBusMaster() => Request(Command.RegionWrite, Messages.RegionWrite(7, 4, [0x02, 0x00]));

    /// <summary>One request and its reply (the driver may call from more than one thread).</summary>
    public Received Request(Command command, ReadOnlySpan<byte> body, ReadOnlySpan<int> fds = default)
    {
        lock (_gate) return _client.Request(command, body, fds);
    }

    public void Dispose()
    {
        _interrupts.Dispose();
        _dma.Dispose();
        _client.Dispose();
    }
}

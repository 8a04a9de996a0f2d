using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Gvnic.Driver;
using Gvnic.Platform.Tracing;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Runtime.Vfio.Tests;

/// <summary>
/// The trace recorder wraps any PCI function, VFIO's included (what <c>gvnic up --trace</c> does): the driver's bring-up
/// through <see cref="VfioPciFunction"/> over <see cref="FakeVfioKernel"/> (BARs mmapped from anonymous memory, DMA
/// memory locked and mapped at IOVAs) is recorded with the IOVAs written relative to the trace's regions. Nothing
/// answers behind the fake BARs: the test sets device_status to "reset", so the driver stops at its first command.
/// </summary>
public sealed class TracingOverVfioTests : IDisposable
{
    private const string Address = "0000:00:05.0";
    private readonly FakeSysfs _sys = new();
    private readonly FakeVfioKernel _kernel;

    public TracingOverVfioTests()
    {
        _sys.AddDevice(Address, group: 12);
        _sys.AddVfioNodes(12);
        _kernel = new FakeVfioKernel(_sys);
    }

    public void Dispose() => _sys.Dispose();

    private static JsonElement Json(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    private static string Member(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";

    [Fact]
    public void A_bring_up_through_vfio_is_recorded_with_its_iovas_relative_to_regions()
    {
        using var function = VfioPciFunction.Open(Address, new VfioOptions { SysfsRoot = _sys.Sys, DevVfioDirectory = _sys.DevVfio }, _kernel);
        // The device's part, in the mmapped BAR0: 4 queues each way, event counter 0, link up and "reset".
        function.Bar0.Write32(Bar0Registers.Offsets.DeviceStatus, Bar0Registers.EncodeDeviceStatus(DeviceStatusFlags.LinkStatus | DeviceStatusFlags.DeviceIsReset));
        function.Bar0.Write32(Bar0Registers.Offsets.MaxTxQueues, Bar0Registers.EncodeMaxTxQueues(4));
        function.Bar0.Write32(Bar0Registers.Offsets.MaxRxQueues, Bar0Registers.EncodeMaxRxQueues(4));
        function.Bar0.Write32(Bar0Registers.Offsets.AdminqEventCounter, 0);

        var stream = new MemoryStream();
        using (var traced = new TracingPciFunction(function, stream, new PciTraceOptions { Tool = "test" }))
        {
            var e = Assert.Throws<DeviceResetException>(() => Nic.Open(traced, new NicOptions { TxQueues = 1, RxQueues = 1, AdminTimeout = TimeSpan.FromMilliseconds(200) }));
            Assert.Contains("VERIFY_DRIVER_COMPATIBILITY", e.Message);
        }
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("""{"address":"0000:00:05.0","vendor_id":"0x1ae0","device_id":"0x0042","revision":1,"bar2_length":65536,"msix_vectors":5}""", Json(lines[0]).GetProperty("device").GetRawText());
        var events = lines.Skip(1).Select(Json).ToArray();
        string Line(JsonElement e) => string.Join(" ", new[] { "ev", "reg", "value", "@value", "dma", "region", "@addr", "opcode", "enable" }.Select(n => Member(e, n)).Where(v => v.Length > 0));

        // the IOVAs VFIO mapped: the admin queue page first, at the bottom of the IOVA range (4 GiB)
        ulong adminIova = _kernel.Maps[0].iova;
        Assert.Equal(1UL << 32, adminIova);
        Assert.Equal(
        [
            "bus_master True",
            "write driver_version 0x47",
        ], events.Take(2).Select(Line));
        var afterVersion = events.SkipWhile(e => Member(e, "reg") == "driver_version" || Member(e, "ev") == "bus_master").ToArray();
        Assert.Equal(
        [
            "read max_tx_queues 0x00000004",
            "read max_rx_queues 0x00000004",
            "dma_alloc 0 0x0000000100000000",
            "write adminq_length 0x1000",
            "write adminq_base_address_hi 0x00000001",
            "write adminq_base_address_lo 0x00000000 dma#0+0x0",
            "write driver_status 0x00000001",
            "read adminq_event_counter 0x00000000",
            "dma_alloc 1 0x" + _kernel.Maps[1].iova.ToString("x16"),
            "write adminq_doorbell 0x00000001",
            "command verify_driver_compatibility",
            "wait",
        ], afterVersion.Take(12).Select(Line));
        Assert.Equal("GVE-1.0.0\n", string.Concat(events.Where(e => Member(e, "reg") == "driver_version").Select(e => Member(e, "char"))));

        // the command as the driver wrote it into VFIO DMA memory, its address relative to region 1
        var command = afterVersion[10];
        Assert.Equal("dma#1+0x0", command.GetProperty("cmd").GetProperty("verify_driver_compatibility").GetProperty("driver_info_addr").GetString());
        Assert.Equal("gvnic-dotnet 1.0.0", command.GetProperty("driver_info").GetProperty("@os_version_str2").GetString());
        // the wait: the counter did not move for the whole AdminTimeout (DEVICE_IS_RESET is not read on every poll: a
        // device may clear it a little after RUN), then device_status explained why: the device reset
        var wait = afterVersion[11];
        Assert.Equal(1, wait.GetProperty("expected").GetInt32());
        Assert.True(wait.GetProperty("@polls").GetInt32() > 2);
        Assert.Equal("""{"device_status":{"value":"0x00000014","flags":["link_status","device_is_reset"]},"adminq_event_counter":{"value":"0x00000000"}}""", wait.GetProperty("last").GetRawText());
        Assert.DoesNotContain(events, e => Member(e, "ev") == "answer");

        // the undo: the driver takes the admin queue back (confirmed at once), stops DMA, frees every region
        var undo = afterVersion.Skip(12).Select(Line).ToArray();
        Assert.Equal("write driver_status 0x00000002", undo[0]);
        Assert.Equal("read device_status 0x00000014", undo[1]);
        Assert.Contains("bus_master False", undo);
        Assert.Equal(["dma_free 1 0x" + _kernel.Maps[1].iova.ToString("x16"), "dma_free 0 0x0000000100000000"], undo.Where(l => l.StartsWith("dma_free", StringComparison.Ordinal)).OrderByDescending(l => l));
        Assert.Equal("end", Member(events[^1], "ev"));
        // the config-space command register saw bus mastering on, then off
        Assert.Equal(0, _kernel.Command & 0x4);
    }
}

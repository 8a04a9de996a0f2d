using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.Cli.Scenario;
using Gvnic.Cli.Serve;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using PacketDotNet;
using PacketDotNet.DhcpV4;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary><c>gvnic serve</c>: options, a client across the socket, the report at exit, Ctrl-C, faults.</summary>
public sealed class ServeCommandTests
{
    private static string Socket() => Path.Combine(Cli.TempDirectory(), "gvnic.sock");

    [Fact]
    public void BadOptions_AreNamedWithWhatToDo()
    {
        Cli.Run("serve").BadInput("serve needs --socket PATH");
        string s = Socket();
        Cli.Run("serve", "--socket", s, "--format", "gqi-qlp").BadInput("--format 'gqi-qlp' is not a queue format", "did you mean gqi-qpl?");
        Cli.Run("serve", "--socket", s, "--revision", "2").BadInput("--revision '2'", "revisions 0", "and 1");
        Cli.Run("serve", "--socket", s, "--queues", "0").BadInput("--queues '0' is not a whole number from 1 to 16");
        Cli.Run("serve", "--socket", s, "--queues", "17").BadInput("--queues '17'");
        Cli.Run("serve", "--socket", s, "--faults", "gqi-rx-len-zer").BadInput("'gqi-rx-len-zer' is not a fault kind", "did you mean gqi-rx-len-zero?");
        Cli.Run("serve", "--socket", s, "--faults", "gqi-rx-len-zero:skp=3").BadInput("unknown key 'skp'", "did you mean skip?");
        Cli.Run("serve", "--socket", s, "--faults", "gqi-rx-len-zero:at=3").BadInput("'at' is for device events");
        Cli.Run("serve", "--socket", s, "--faults", "admin-command-status").BadInput("admin-command-status needs opcode=NAME");
        Cli.Run("serve", "--socket", s, "--faults", "admin-command-status:opcode=create_tx_queue:status=nope").BadInput("status=nope is not one of adminq_statuses");
        Cli.Run("serve", "--socket", s, "--faults", "link-flap:at=-1").BadInput("at=-1 is not a number of seconds");
        Cli.Run("serve", "--socket", s, "--faults", "reset-request,,link-flap").BadInput("an empty item between commas");
        string file = Path.Combine(Cli.TempDirectory(), "plain-file");
        File.WriteAllText(file, "not a socket");
        Cli.Run("serve", "--socket", file, "--once").BadInput("--socket " + file + ":", "exists and is not a socket");
        Assert.Equal("not a socket", File.ReadAllText(file)); // never removed
    }

    [Fact]
    public void FaultSpecs_BecomeTheModelsFaults()
    {
        var faults = FaultSpec.Parse("gqi-rx-len-zero:queue=1:skip=100, admin-command-status:opcode=create_tx_queue:status=command_error_unavailable:persistent,link-flap:at=2.5,reset-request");
        Assert.Equal(new DeviceFault(DeviceFaultKind.GqiRxLenZero, Queue: 1, Skip: 100), faults[0].Fault);
        Assert.Null(faults[0].At);
        Assert.Equal(new DeviceFault(DeviceFaultKind.AdminCommandStatus, Persistent: true, Opcode: AdminqOpcodes.CreateTxQueue, Status: AdminqStatuses.CommandErrorUnavailable), faults[1].Fault);
        Assert.Equal(new DeviceFault(DeviceFaultKind.LinkFlap), faults[2].Fault);
        Assert.Equal(TimeSpan.FromSeconds(2.5), faults[2].At);
        Assert.Equal(TimeSpan.Zero, faults[3].At); // an event without a time happens as soon as the driver has configured the device
        Assert.Equal("admin-command-status persistent create_tx_queue=command_error_unavailable", faults[1].ToString());
        Assert.Equal(Enum.GetValues<DeviceFaultKind>().Length, FaultSpec.Names.Count);
        Assert.Contains("dqo-tx-generation-flipped", FaultSpec.Names);
    }

    [Fact]
    public async Task AClientReadsTheServedDevice_AndTheReportAtItsDepartureIsClean()
    {
        string path = Socket();
        Task<CliRun> serve = Task.Run(() => Cli.Run("serve", "--socket", path, "--format", "dqo-rda", "--revision", "0", "--queues", "3", "--once"));
        using (var probe = VfioUserProbe.Connect(path))
        {
            Assert.Equal(new byte[] { 0xE0, 0x1A, 0x42, 0x00 }, probe.Read(7, 0, 4)); // 1ae0:0042
            Assert.Equal(new byte[] { 0 }, probe.Read(7, 8, 1)); // revision 0
            Assert.Equal(new byte[] { 0, 0, 0, 3 }, probe.Read(0, 0x08, 4)); // max_tx_queues, big-endian
            Assert.Equal(new byte[] { 0, 0, 0, 3 }, probe.Read(0, 0x0C, 4)); // max_rx_queues
        }

        CliRun run = await serve.WaitAsync(TimeSpan.FromSeconds(30)); // TimeoutException: serve did not exit after its client left
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Out + run.Error);
        Assert.Contains("gvnic serve: listening on " + path + ": a simulated gVNIC 1ae0:0042 rev 0, formats dqo-rda, up to 3 queues (7 MSI-X vectors), faults none", run.Out);
        Assert.Contains("gvnic serve: device model: 0 protocol violations", run.Out);
        Assert.Contains("left behind when the last client left: 0 TX and 0 RX queues, 0 page lists, resources not configured, 0 DMA mappings (0 bytes), 0 of them made while a driver had bus mastering on", run.Out);
        Assert.Contains("gvnic serve: result violations=0 refused=0 exceptions=0 bad-checksums=0 tx-queues=0 rx-queues=0 page-lists=0 configured=0 mappings=0 mappings-added=0 ", run.Out);
        Assert.Contains(" clients=1", run.Out);
        Assert.Contains("gvnic serve: vfio-user: client connected", run.Error);
        Assert.False(File.Exists(path)); // the socket goes with the server
        run.NoStackTrace();
    }

    [Fact]
    public async Task DmaMappingsTheDriverLeft_AreThoseMadeAfterBusMasteringWentOn()
    {
        string path = Socket();
        Task<CliRun> serve = Task.Run(() => Cli.Run("serve", "--socket", path, "--once"));
        using (var probe = VfioUserProbe.Connect(path))
        {
            Assert.False(probe.Request(Gvnic.VfioUser.Wire.Command.DmaMap, DmaMap(0x1_0000_0000, 0x10000)).Header.Error); // guest RAM, before the driver
            Assert.True(probe.Write(7, 4, [0x06, 0x00])); // memory space and bus mastering on: the driver starts
            Assert.False(probe.Request(Gvnic.VfioUser.Wire.Command.DmaMap, DmaMap(0x7_0000_0000, 0x2000)).Header.Error); // the driver's, never unmapped
            Assert.False(probe.Request(Gvnic.VfioUser.Wire.Command.DmaMap, DmaMap(0x7_0001_0000, 0x1000)).Header.Error); // the driver's, unmapped below
            Assert.False(probe.Request(Gvnic.VfioUser.Wire.Command.DmaUnmap, DmaUnmap(0x7_0001_0000, 0x1000)).Header.Error);
            Assert.True(probe.Write(7, 4, [0x02, 0x00])); // bus mastering off: the driver is gone
            Assert.False(probe.Request(Gvnic.VfioUser.Wire.Command.DmaMap, DmaMap(0x2_0000_0000, 0x4000)).Header.Error); // RAM again at shutdown
        }

        CliRun run = await serve.WaitAsync(TimeSpan.FromSeconds(30)); // TimeoutException: serve did not exit after its client left
        Assert.Contains("3 DMA mappings (90112 bytes), 1 of them made while a driver had bus mastering on (8192 bytes: DMA its driver did not unmap)", run.Out);
        Assert.Contains(" mappings=3 mappings-added=1 ", run.Out);
    }

    private static byte[] DmaUnmap(ulong address, ulong size)
    {
        byte[] b = new byte[Gvnic.VfioUser.Wire.DmaUnmap.Size];
        new Gvnic.VfioUser.Wire.DmaUnmap { Argsz = 24, Address = address, RangeSize = size }.Write(b);
        return b;
    }

    private static byte[] DmaMap(ulong address, ulong size)
    {
        byte[] b = new byte[Gvnic.VfioUser.Wire.DmaMap.Size];
        new Gvnic.VfioUser.Wire.DmaMap { Argsz = 32, Address = address, RangeSize = size, Readable = true, Writeable = true }.Write(b);
        return b;
    }

    [Fact]
    public async Task ADriversProtocolMistakeAndARefusedRequest_AreReported_AndFailTheExit()
    {
        string path = Socket();
        Task<CliRun> serve = Task.Run(() => Cli.Run("serve", "--socket", path, "--once"));
        using (var probe = VfioUserProbe.Connect(path))
        {
            Assert.True(probe.Write(0, 0x00, [1, 2])); // a 2-byte write to device_status: the device records it
            Assert.False(probe.Write(3, 0, [1, 2, 3, 4])); // BAR3 does not exist: refused
        }

        CliRun run = await serve.WaitAsync(TimeSpan.FromSeconds(30)); // TimeoutException: serve did not exit after its client left
        Assert.Equal(ExitCodes.DeviceError, run.ExitCode);
        Assert.Contains("gvnic serve: device model: 1 protocol violation\n  RegisterAccess", run.Out);
        Assert.Contains("gvnic serve: violation: RegisterAccess", run.Error); // printed as it happened too
        Assert.Contains("1 refused", run.Out);
        Assert.Contains("  refused: ", run.Out);
        Assert.Contains("region 3", run.Out);
        Assert.Contains("result violations=1 refused=1 exceptions=0", run.Out);
    }

    [Fact]
    public async Task Stopping_EndsTheServerCleanly_WithTheReport()
    {
        string path = Socket();
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error);
        using var stop = new CancellationTokenSource();
        var options = new ServeOptions(path, OfferedFormats.GqiQpl, 1, 1, FaultSpec.Parse("dqo-rx-len-zero:skip=5"), null, Once: false);
        Task<int> serve = Task.Run(() => ServeSession.Run(context, options, stop.Token, handleSignals: false));
        using (VfioUserProbe.Connect(path))
        {
        }

        using (var second = VfioUserProbe.Connect(path)) // served one after another
        {
            Assert.Equal(new byte[] { 0, 0, 0, 1 }, second.Read(0, 0x08, 4));
        }

        stop.Cancel();
        Assert.Equal(ExitCodes.Ok, await serve.WaitAsync(TimeSpan.FromSeconds(30))); // TimeoutException: serve did not stop when cancelled
        string report = output.ToString();
        Assert.Contains("faults dqo-rx-len-zero after 5 chances", report);
        Assert.Contains("gvnic serve: 2 clients,", report);
        Assert.Contains(" clients=2", report);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void WithoutAClient_TheReportSaysSo()
    {
        string path = Socket();
        var output = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, new StringWriter());
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var options = new ServeOptions(path, OfferedFormats.DqoQpl, 1, 2, [], null, Once: true);
        Assert.Equal(ExitCodes.Ok, ServeSession.Run(context, options, stop.Token, handleSignals: false));
        Assert.Contains("gvnic serve: no client connected", output.ToString());
        Assert.Contains("result violations=0 refused=0 exceptions=0 bad-checksums=0 tx-queues=0 rx-queues=0 page-lists=0 configured=0 mappings=0 mappings-added=0 frames-out=0", output.ToString());
    }

    [Fact]
    public void WireChecksums_FindTheDevicesMistakes()
    {
        var mac = System.Net.NetworkInformation.PhysicalAddress.Parse("42-01-0A-80-00-02");
        byte[] udp = Packets.Udp(mac, Responder.RouterMac, Responder.OfferedIp, Responder.RouterIp, 4000, 7, [1, 2, 3, 4, 5]);
        Assert.True(WireChecksums.Valid(udp, out _));

        byte[] badUdp = (byte[])udp.Clone();
        badUdp[14 + 20 + 6] ^= 0x40; // the UDP checksum
        Assert.False(WireChecksums.Valid(badUdp, out string udpProblem));
        Assert.StartsWith("UDP checksum 0x", udpProblem);
        Assert.EndsWith("is wrong (10.128.0.2:4000 to 10.128.0.1:7)", udpProblem);

        byte[] noUdpChecksum = (byte[])udp.Clone();
        noUdpChecksum[14 + 20 + 6] = 0;
        noUdpChecksum[14 + 20 + 7] = 0;
        Assert.True(WireChecksums.Valid(noUdpChecksum, out _)); // IPv4 allows none

        byte[] badIp = (byte[])udp.Clone();
        badIp[14 + 10] ^= 0x01; // the IPv4 header checksum
        Assert.False(WireChecksums.Valid(badIp, out string ipProblem));
        Assert.StartsWith("IPv4 header checksum", ipProblem);

        byte[] echo = Packets.Echo(PacketDotNet.IcmpV4TypeCode.EchoRequest, mac, Responder.RouterMac, Responder.OfferedIp, Responder.RouterIp, 1, 2, [9, 9, 9]);
        Assert.True(WireChecksums.Valid(echo, out _));
        echo[^1] ^= 0xFF;
        Assert.False(WireChecksums.Valid(echo, out string icmpProblem));
        Assert.StartsWith("ICMP checksum", icmpProblem);

        Assert.True(WireChecksums.Valid(new byte[60], out _)); // not IPv4: nothing to check
    }

    [Fact]
    public void TheResponderAcksARequestForTheOfferedAddress()
    {
        var responder = new Responder();
        var client = System.Net.NetworkInformation.PhysicalAddress.Parse("42-01-0A-80-00-02");
        byte[] request = Packets.Dhcp(client, Packets.Broadcast, System.Net.IPAddress.Any, System.Net.IPAddress.Broadcast, 68, 67, DhcpV4Operation.BootRequest, 0x1234, client, null, null,
            [new MessageTypeOption(DhcpV4MessageType.Request), new AddressRequestOption(Responder.OfferedIp), new ServerIdOption(Responder.RouterIp)]);

        byte[] reply = Assert.Single(responder.Respond(request)!);

        var dhcp = Packets.Parse(reply)!.Extract<DhcpV4Packet>();
        Assert.Equal(DhcpV4MessageType.Ack, dhcp.MessageType);
        Assert.Equal(0x1234u, dhcp.Xid);
        Assert.Equal(Responder.OfferedIp, dhcp.YourAddress);
        Assert.Equal(1, responder.Acks);
        Assert.Equal(0, responder.Offers);
    }
}

using System;
using System.Linq;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>RSS through the driver: CONFIGURE_RSS and QUERY_RSS on the model, the model's steering by the table, every bad input refused.</summary>
public class RssTests
{
    internal static readonly QueueFormat[] Formats = [QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl];

    private static readonly byte[] VerificationKey = Convert.FromHexString("6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");

    private static SimulatedGvnic Device(bool rss = true, bool flows = true)
        => new(new SimulatedDeviceConfig { Formats = JumboFrameTests.AllFormats, Rss = rss, FlowSteering = flows, MsixVectors = 16 });

    /// <summary>Receives everything waiting on every queue; the queue each frame arrived on and its hash, in arrival order per queue.</summary>
    internal static (int Queue, uint Hash, byte[] Frame)[] Drain(Nic nic)
    {
        var got = new System.Collections.Generic.List<(int, uint, byte[])>();
        var buffer = new byte[nic.MaxFrameSize];
        for (int q = 0; q < nic.RxQueueCount; q++)
            while (nic.TryReceive(buffer, out int length, out RxInfo info, q)) got.Add((q, info.RssHash, buffer[..length]));
        return got.ToArray();
    }

    [Fact]
    public void AnAdminQueueThatFailedUnderAnEarlierCommandIsRecoveredBeforeTheNextSteeringCall()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda, queues: 2));
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminEventCounterAhead, Opcode: AdminqOpcodes.QueryRss));
        Assert.Throws<DeviceFaultException>(() => nic.QueryRss());
        int[] table = Enumerable.Repeat(1, 128).ToArray();
        nic.ConfigureRss(new RssConfiguration { IndirectionTable = table }); // recovers first: a new admin queue takes it
        Assert.Equal(1, nic.RecoveryCount);
        Assert.Equal(table, nic.QueryRss().IndirectionTable);
    }

    [Fact]
    public void WithoutAutoRecoverASteeringCallOnAFailedAdminQueueSaysToRecover()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda, queues: 2) with { AutoRecover = false });
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminEventCounterAhead, Opcode: AdminqOpcodes.QueryRss));
        Assert.Throws<DeviceFaultException>(() => nic.QueryRss());
        var e = Assert.Throws<GvnicException>(() => nic.QueryRss());
        Assert.StartsWith("the admin queue failed earlier (", e.Message);
        Assert.EndsWith("call Recover before configuring RX steering", e.Message);
        Assert.IsType<DeviceFaultException>(e.InnerException);
        nic.Recover();
        Assert.Equal(128, nic.QueryRss().IndirectionTable!.Length);
    }

    [Fact]
    public void ServiceRecoversAnAdminQueueThatFailedUnderAnEarlierCommand()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda, queues: 2));
        device.InjectFault(new DeviceFault(DeviceFaultKind.AdminEventCounterAhead, Opcode: AdminqOpcodes.QueryRss));
        Assert.Throws<DeviceFaultException>(() => nic.QueryRss());
        Assert.True(nic.Service());
        Assert.IsType<DeviceFaultException>(nic.LastFault);
        Assert.False(nic.Service());
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void TheHashOfAVerificationFrameArrivesIntact(QueueFormat format)
    {
        // GQI carries the hash big-endian (rx_desc.rss_hash), DQO little-endian (rx_compl_desc_dqo.hash, which upstream
        // reads with le32_to_cpu): either way the driver must hand over the published number.
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        nic.ConfigureRss(new RssConfiguration { HashTypes = RssHashTypes.Tcpv4, Key = VerificationKey });
        device.InjectFrame(SteeringFrames.Tcp("66.9.149.187", 2794, "161.142.100.80", 1766));
        nic.ConfigureRss(new RssConfiguration { HashTypes = RssHashTypes.Ipv4 });
        device.InjectFrame(SteeringFrames.Tcp("66.9.149.187", 2794, "161.142.100.80", 1766));
        nic.ConfigureRss(new RssConfiguration { HashTypes = RssHashTypes.Tcpv6 });
        device.InjectFrame(SteeringFrames.Tcp("3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766));
        Assert.Equal([0x51ccc178u, 0x323e8fc2u, 0x40207d3du], Drain(nic).Select(g => g.Hash).ToArray());
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void FlowsSpreadOverFourQueuesAsTheTableSays(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 4));
        Assert.Equal(40, nic.RssKeySize);
        Assert.Equal(128, nic.RssIndirectionTableSize);
        // A table that is not round robin: buckets 0..63 to queue 3, then 2, 1, 0 in turn.
        int[] table = Enumerable.Range(0, 128).Select(i => i < 64 ? 3 : (i - 64) % 3).ToArray();
        nic.ConfigureRss(new RssConfiguration { Key = VerificationKey, IndirectionTable = table });
        for (ushort port = 1000; port < 1200; port++) device.InjectFrame(SteeringFrames.Udp("10.0.0.9", port, "10.128.0.2", 53));
        var got = Drain(nic);
        Assert.Equal(200, got.Length);
        foreach (var (queue, hash, _) in got) Assert.Equal(table[hash % 128], queue);
        Assert.All(Enumerable.Range(0, 4), q => Assert.Contains(got, g => g.Queue == q));
        Assert.Empty(device.Violations);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void QueryRssReturnsWhatWasConfigured(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 2));
        // Before any configuration: the device's default key and its table over the live queues.
        RssConfiguration before = nic.QueryRss();
        Assert.Equal(VerificationKey, before.Key);
        Assert.Equal(Enumerable.Range(0, 128).Select(i => i % 2).ToArray(), before.IndirectionTable);
        Assert.Equal(RssHashTypesInfo.All, before.HashTypes);
        Assert.Equal(RssHashAlg.Toeplitz, before.HashAlgorithm);

        byte[] key = Enumerable.Range(0, 40).Select(i => (byte)(i * 11 + 3)).ToArray();
        int[] table = RssConfiguration.RoundRobin(128, 2).Reverse().ToArray();
        nic.ConfigureRss(new RssConfiguration { Key = key, IndirectionTable = table, HashTypes = RssHashTypes.Udpv4 | RssHashTypes.Ipv6 });
        RssConfiguration after = nic.QueryRss();
        Assert.Equal(key, after.Key);
        Assert.Equal(table, after.IndirectionTable);
        Assert.Equal(RssHashTypes.Udpv4 | RssHashTypes.Ipv6, after.HashTypes);

        // A key alone leaves the table; the hash types are always sent.
        nic.ConfigureRss(new RssConfiguration { Key = VerificationKey });
        after = nic.QueryRss();
        Assert.Equal(VerificationKey, after.Key);
        Assert.Equal(table, after.IndirectionTable);
        Assert.Equal(RssConfiguration.DefaultHashTypes, after.HashTypes);
        Assert.Empty(device.Violations);
    }

    [Fact]
    public void TheConfigurationSurvivesARecovery()
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda, queues: 2));
        int[] table = Enumerable.Repeat(1, 128).ToArray();
        nic.ConfigureRss(new RssConfiguration { IndirectionTable = table });
        nic.Recover();
        Assert.Equal(table, nic.QueryRss().IndirectionTable);
        device.InjectFrame(SteeringFrames.Udp("10.0.0.9", 7, "10.128.0.2", 53));
        Assert.Equal(1, Assert.Single(Drain(nic)).Queue);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.DqoRda)]
    public void BadInputsAreRefusedWithTheirReason(QueueFormat format)
    {
        using SimulatedGvnic device = Device();
        using Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 2));
        Assert.Throws<ArgumentNullException>(() => nic.ConfigureRss(null!));
        void Refused(RssConfiguration c, string message)
        {
            var e = Assert.Throws<ArgumentException>(() => nic.ConfigureRss(c));
            Assert.Equal("configuration", e.ParamName);
            Assert.StartsWith(message, e.Message);
        }
        Refused(new RssConfiguration { Key = new byte[52] }, "the RSS key has 52 bytes; the device takes exactly 40 (Nic.RssKeySize)");
        Refused(new RssConfiguration { IndirectionTable = new int[64] }, "the RSS indirection table has 64 entries; the device takes exactly 128 (Nic.RssIndirectionTableSize)");
        int[] table = new int[128];
        table[77] = 2;
        Refused(new RssConfiguration { IndirectionTable = table }, "RSS indirection table entry 77 is queue 2; the NIC has 2 RX queues (0 … 1)");
        table[77] = -1;
        Refused(new RssConfiguration { IndirectionTable = table }, "RSS indirection table entry 77 is queue -1; the NIC has 2 RX queues (0 … 1)");
        Refused(new RssConfiguration { HashTypes = 0 }, "no RSS hash types: name at least one");
        Refused(new RssConfiguration { HashTypes = (RssHashTypes)0x600 }, "RSS hash types 0x600 include unknown bits 0x600 (known: 0x1FF, RssHashTypes)");
        Refused(new RssConfiguration { HashAlgorithm = RssHashAlg.NoChange }, "RSS hash algorithm NoChange is not offered: gVNIC hashes with Toeplitz only");
        // Nothing reached the device.
        Assert.DoesNotContain(device.AdminCommands, c => c.Opcode == AdminqOpcodes.ConfigureRss);
    }

    [Theory]
    [InlineData(QueueFormat.GqiQpl)]
    [InlineData(QueueFormat.GqiRda)]
    public void GqiWithoutTheOptionHasNoRss(QueueFormat format)
    {
        using SimulatedGvnic device = Device(rss: false);
        using Nic nic = Nic.Open(device, TestDevices.Options(format));
        Assert.False(nic.RssSupported);
        var e = Assert.Throws<NicConfigurationException>(() => nic.ConfigureRss(new RssConfiguration()));
        Assert.Equal("the device offers no RSS configuration with " + format + ": it sent no RSS_CONFIG option (upstream configures RSS on GQI only with that option; "
            + "DQO formats use a 40-byte key and a 128-entry table without it)", e.Message);
        Assert.Throws<NicConfigurationException>(() => nic.QueryRss());
        Assert.Throws<NicConfigurationException>(() => nic.RssKeySize);
    }

    [Theory]
    [InlineData(QueueFormat.DqoRda)]
    [InlineData(QueueFormat.DqoQpl)]
    public void DqoWithoutTheOptionUsesUpstreamsSizesAndRemembersWhatItSet(QueueFormat format)
    {
        using SimulatedGvnic device = Device(rss: false);
        using Nic nic = Nic.Open(device, TestDevices.Options(format, queues: 2));
        Assert.True(nic.RssSupported);
        Assert.Equal((40, 128), (nic.RssKeySize, nic.RssIndirectionTableSize));
        var e = Assert.Throws<NicConfigurationException>(() => nic.QueryRss());
        Assert.StartsWith("the device has no RSS_CONFIG option, so QUERY_RSS cannot be asked", e.Message);
        int[] table = Enumerable.Repeat(1, 128).ToArray();
        nic.ConfigureRss(new RssConfiguration { Key = VerificationKey, IndirectionTable = table });
        RssConfiguration cached = nic.QueryRss();
        Assert.Equal(VerificationKey, cached.Key);
        Assert.Equal(table, cached.IndirectionTable);
        Assert.DoesNotContain(device.AdminCommands, c => c.Opcode == AdminqOpcodes.QueryRss);
        device.InjectFrame(SteeringFrames.Udp("10.0.0.9", 7, "10.128.0.2", 53));
        Assert.Equal(1, Assert.Single(Drain(nic)).Queue);
    }

    [Theory]
    [InlineData(HostileField.RssKeySize, 0UL, "hash_key_size")]
    [InlineData(HostileField.RssKeySize, 3UL, "hash_key_size")]
    [InlineData(HostileField.RssKeySize, 65535UL, "hash_key_size")]
    [InlineData(HostileField.RssLutSize, 0UL, "hash_lut_size")]
    [InlineData(HostileField.RssLutSize, 1021UL, "hash_lut_size")]
    [InlineData(HostileField.RssLutSize, 65535UL, "hash_lut_size")]
    public void HostileRssSizesAreRefusedWhereTheyAreUsed(HostileField field, ulong value, string name)
    {
        foreach (QueueFormat format in Formats)
        {
            using SimulatedGvnic device = Device();
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: field, Value: value));
            using Nic nic = Nic.Open(device, TestDevices.Options(format)); // RSS is optional: bring-up does not need the sizes
            Assert.True(nic.RssSupported); // offered, with sizes that cannot be used
            var e = Assert.Throws<DeviceFaultException>(() => nic.ConfigureRss(new RssConfiguration()));
            Assert.Equal(("RSS_CONFIG option", name, value), (e.Queue, e.Field, e.Value));
            Assert.Throws<DeviceFaultException>(() => nic.QueryRss());
        }
    }

    [Fact]
    public void TheCommandsAreTheBytesUpstreamSends()
    {
        using SimulatedGvnic device = Device();
        var pci = new TamperingPci(device);
        using Nic nic = Nic.Open(pci, TestDevices.Options(QueueFormat.DqoRda, queues: 2));
        int before = pci.Allocations.Count;
        nic.ConfigureRss(new RssConfiguration { Key = VerificationKey, IndirectionTable = RssConfiguration.RoundRobin(128, 2) });
        ulong keyAt = pci.Allocations[before].DeviceAddress, tableAt = pci.Allocations[before + 1].DeviceAddress;
        Assert.Equal(
            "0000000A" + "00000001"                     // opcode configure_rss, status passed (written by the device)
            + "00D2" + "01" + "00"                      // hash_types tcpv4|udpv4|tcpv6|udpv6 (upstream's), hash_alg toeplitz, reserved
            + "0028" + "0080"                           // hash_key_size 40, hash_lut_size 128
            + keyAt.ToString("X16") + tableAt.ToString("X16")
            + new string('0', 64),                      // the rest of the 56-byte body
            Convert.ToHexString(LastSlot(pci, device)));

        before = pci.Allocations.Count;
        nic.QueryRss();
        Assert.Equal("00000012" + "00000001" + "0000000000001000" + pci.Allocations[before].DeviceAddress.ToString("X16") + new string('0', 80),
            Convert.ToHexString(LastSlot(pci, device)));
    }

    /// <summary>The admin-queue slot of the last command (the admin queue is the first DMA allocation).</summary>
    internal static byte[] LastSlot(TamperingPci pci, SimulatedGvnic device)
    {
        int slot = (int)((device.AdminEventCounter - 1) % GvnicConstants.AdminqSlots);
        return pci.Allocations[0].Span.Slice(slot * AdminqCommand.Size, AdminqCommand.Size).ToArray();
    }
}

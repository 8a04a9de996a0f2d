using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;
using PacketDotNet;

namespace Gvnic.Driver.Tests.EndToEnd;

/// <summary>Devices, options and frames the end-to-end tests share.</summary>
internal static class TestDevices
{
    public static readonly byte[] DeviceMac = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x02];

    public static SimulatedGvnic Create(byte revision = 1, OfferedFormats formats = OfferedFormats.GqiQpl | OfferedFormats.GqiRda,
        ExecutionMode execution = ExecutionMode.Synchronous, string address = "sim:0", byte[]? mac = null, ushort mtu = 1460)
        => new(new SimulatedDeviceConfig { Revision = revision, Formats = formats, Execution = execution, Address = address, Mac = mac ?? DeviceMac, Mtu = mtu });

    public static NicOptions Options(QueueFormat format, int queues = 1) => new()
    {
        QueueFormat = format,
        TxQueues = queues,
        RxQueues = queues,
        AdminTimeout = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>A DHCP DISCOVER from <paramref name="mac"/>, built with PacketDotNet (BOOTP body by hand: op, htype, hlen, xid, chaddr, cookie, options).</summary>
    public static byte[] DhcpDiscover(byte[] mac, uint xid = 0x3903F326)
    {
        var bootp = new byte[240 + 4];
        bootp[0] = 1; bootp[1] = 1; bootp[2] = 6;
        bootp[4] = (byte)(xid >> 24); bootp[5] = (byte)(xid >> 16); bootp[6] = (byte)(xid >> 8); bootp[7] = (byte)xid;
        bootp[10] = 0x80; // broadcast flag
        mac.CopyTo(bootp, 28);
        bootp[236] = 99; bootp[237] = 130; bootp[238] = 83; bootp[239] = 99; // magic cookie
        bootp[240] = 53; bootp[241] = 1; bootp[242] = 1;                   // DHCP message type: DISCOVER
        bootp[243] = 255;
        var udp = new UdpPacket(68, 67) { PayloadData = bootp };
        var ip = new IPv4Packet(IPAddress.Any, IPAddress.Broadcast) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(new PhysicalAddress(mac), PhysicalAddress.Parse("FF-FF-FF-FF-FF-FF"), EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    /// <summary>An IPv4/UDP frame to <paramref name="to"/> carrying <paramref name="payload"/> from source port <paramref name="sourcePort"/>.</summary>
    public static byte[] Udp(byte[] to, byte[] payload, ushort sourcePort = 5000, byte[]? from = null)
    {
        var udp = new UdpPacket(sourcePort, 7) { PayloadData = payload };
        var ip = new IPv4Packet(IPAddress.Parse("10.128.0.1"), IPAddress.Parse("10.128.0.2")) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(new PhysicalAddress(from ?? [0x42, 0x01, 0x0A, 0x80, 0x00, 0x01]), new PhysicalAddress(to), EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }
}

/// <summary>
/// An <see cref="IPciFunction"/> that forwards to a simulated device but can lie about BAR2's length, tamper
/// with BAR0 reads, and records every DMA allocation (so tests can play a misbehaving device).
/// </summary>
internal sealed class TamperingPci(SimulatedGvnic device) : IPciFunction
{
    private readonly RecordingAllocator _dma = new(device.Dma);
    private readonly TamperingMmio _bar0 = new(device.Bar0);
    private readonly TamperingMmio _bar2 = new(device.Bar2);

    /// <summary>
    /// While true, BAR2 writes (doorbells) are recorded in a preallocated log instead of reaching the device, so
    /// no device code runs inside the driver's calls; <see cref="ReplayBar2Writes"/> delivers them in order.
    /// </summary>
    public bool DeferBar2Writes { get => _bar2.Defer; set => _bar2.Defer = value; }

    /// <summary>Delivers the deferred BAR2 writes to the device, in the order the driver made them; returns how many.</summary>
    public int ReplayBar2Writes() => _bar2.Replay();

    public List<DmaRegion> Allocations => _dma.Allocations;

    public long? Bar2LengthOverride { get; set; }

    /// <summary>When set, BAR0 reads at an offset go through this function (offset, real value) → value.</summary>
    public Func<long, uint, uint>? Bar0Read32 { get => _bar0.Read32Hook; set => _bar0.Read32Hook = value; }

    public string Address => device.Address;
    public ushort VendorId => device.VendorId;
    public ushort DeviceId => device.DeviceId;
    public byte RevisionId => device.RevisionId;
    public IMmioRegion Bar0 => _bar0;
    public IMmioRegion Bar2 => _bar2;
    public long Bar2Length => Bar2LengthOverride ?? device.Bar2Length;
    public IDmaAllocator Dma => _dma;
    public IInterruptController Interrupts => device.Interrupts;
    public void EnableBusMaster() => device.EnableBusMaster();
    public void DisableBusMaster() => device.DisableBusMaster();
    public void Dispose() { }

    private sealed class RecordingAllocator(IDmaAllocator inner) : IDmaAllocator
    {
        public List<DmaRegion> Allocations { get; } = new();
        public DmaRegion Allocate(int length, int alignment = 4096)
        {
            DmaRegion r = inner.Allocate(length, alignment);
            Allocations.Add(r);
            return r;
        }
        public void Free(DmaRegion region) => inner.Free(region);
        public int OutstandingRegions => inner.OutstandingRegions;
        public long OutstandingBytes => inner.OutstandingBytes;
    }

    private sealed class TamperingMmio(IMmioRegion inner) : IMmioRegion
    {
        public Func<long, uint, uint>? Read32Hook;
        public bool Defer;
        private readonly long[] _deferredOffsets = new long[65536];
        private readonly uint[] _deferredValues = new uint[65536];
        private int _deferred;

        public int Replay()
        {
            int n = _deferred;
            _deferred = 0;
            for (int i = 0; i < n; i++) inner.Write32(_deferredOffsets[i], _deferredValues[i]);
            return n;
        }

        public byte Read8(long offset) => inner.Read8(offset);
        public void Write8(long offset, byte value) => inner.Write8(offset, value);
        public ushort Read16(long offset) => inner.Read16(offset);
        public void Write16(long offset, ushort value) => inner.Write16(offset, value);
        public uint Read32(long offset)
        {
            uint v = inner.Read32(offset);
            return Read32Hook is { } hook ? hook(offset, v) : v;
        }
        public void Write32(long offset, uint value)
        {
            if (!Defer)
            {
                inner.Write32(offset, value);
                return;
            }
            if (_deferred == _deferredOffsets.Length) throw new InvalidOperationException("more than " + _deferred + " deferred BAR writes; replay them");
            _deferredOffsets[_deferred] = offset;
            _deferredValues[_deferred++] = value;
        }
        public ulong Read64(long offset) => inner.Read64(offset);
        public void Write64(long offset, ulong value) => inner.Write64(offset, value);
    }
}

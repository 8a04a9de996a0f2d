using System;
using Gvnic.Simulator.Device;
using Gvnic.Simulator.Queues;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>
/// The pieces that keep the model's per-frame path free of allocation: the frame pool, the table-driven RSS hash, the
/// lazily formatted DMA description, and a wire that records only when asked.
/// </summary>
public sealed class FrameBufferTests
{
    [Fact]
    public void PoolHandsBackFramesOfExactlyTheAskedLength()
    {
        var pool = new FramePool();
        byte[] a = pool.Rent(64);
        Assert.Equal(64, a.Length);
        pool.Return(a);
        Assert.Same(a, pool.Rent(64));          // reused
        Assert.NotSame(a, pool.Rent(64));       // the pool had one: a new one now
        byte[] b = pool.Rent(1500);
        pool.Return(b);
        Assert.Equal(65, pool.Rent(65).Length); // another length is not served from the 1500-byte frames
        Assert.Same(b, pool.Rent(1500));
        Assert.Empty(pool.Rent(0));
    }

    [Fact]
    public void PoolKeepsABoundedNumberOfFramesAndNoneTooLong()
    {
        var pool = new FramePool();
        var frames = new byte[FramePool.PerLength + 5][];
        for (int i = 0; i < frames.Length; i++) frames[i] = new byte[100];
        foreach (byte[] f in frames) pool.Return(f);
        int reused = 0;
        for (int i = 0; i < frames.Length; i++)
        {
            if (Array.IndexOf(frames, pool.Rent(100)) >= 0) reused++;
        }
        Assert.Equal(FramePool.PerLength, reused);
        byte[] huge = new byte[FramePool.MaxLength + 1];
        pool.Return(huge);
        Assert.NotSame(huge, pool.Rent(huge.Length));
    }

    [Fact]
    public void CopyHoldsTheBytes()
    {
        var pool = new FramePool();
        pool.Return(new byte[] { 9, 9, 9 });
        Assert.Equal(new byte[] { 1, 2, 3 }, pool.Copy(new byte[] { 1, 2, 3 }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TableHashEqualsTheBitwiseToeplitzHash(bool configuredKey)
    {
        var random = new Random(5);
        var steering = new RxSteering();
        byte[] key = new byte[40];
        random.NextBytes(key);
        if (configuredKey) steering.Configure(default, key, null);
        byte[] defaultKey =
        [
            0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
            0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
            0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
        ];
        byte[] k = configuredKey ? key : defaultKey;
        for (int i = 0; i < 200; i++)
        {
            byte[] frame = (i % 3) switch
            {
                0 => Frames.Udp4(10 + i, (byte)i, (ushort)random.Next(65536), (ushort)random.Next(65536)),
                1 => Frames.Tcp6(i, (uint)random.Next()),
                _ => Frames.Udp4(30, (byte)i),
            };
            if (i % 3 == 2) random.NextBytes(frame.AsSpan(26, 8)); // random IPv4 addresses
            FrameInfo info = FrameInfo.Parse(frame);
            byte[] input = [.. frame.AsSpan(info.HashAddressOffset, info.HashAddressLength), .. info.HashPortsOffset >= 0 ? frame.AsSpan(info.HashPortsOffset, 4) : default];
            Assert.Equal(FrameInfo.Toeplitz(k, input), steering.Hash(frame));
        }
        Assert.Equal(0u, steering.Hash(Frames.NonIp(60)));
    }

    [Fact]
    public void HashOfTheKnownRssVectorIsTheMicrosoftValue()
    {
        // The RSS verification suite's first IPv4 TCP case: 66.9.149.187:2794 -> 161.142.100.80:1766 under the default key
        // hashes (source address, destination address, source port, destination port) to 0x51ccc178.
        byte[] frame = new byte[14 + 20 + 20];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[23] = 6;
        byte[] src = [66, 9, 149, 187], dst = [161, 142, 100, 80];
        src.CopyTo(frame, 26);
        dst.CopyTo(frame, 30);
        frame[34] = 2794 >> 8;
        frame[35] = 2794 & 0xFF;
        frame[36] = 1766 >> 8;
        frame[37] = 1766 & 0xFF;
        Assert.Equal(0x51ccc178u, new RxSteering().Hash(frame));
    }

    [Fact]
    public void DmaWhatFormatsOnlyWhenAsked()
    {
        int queue = 3, slot = 17;
        DmaWhat what = $"RX queue {queue} buffer at slot {slot}";
        Assert.Equal("RX queue 3 buffer at slot 17", what.ToString());
        Assert.Equal("RX queue 3 buffer at slot 17 (page 2 of page list 7)", what.OnPage(2, 7).ToString());
        DmaWhat plain = "event counter";
        Assert.Equal("event counter", plain.ToString());
        long a = 1, b = 2, c = 3, d = 4;
        DmaWhat many = $"{a}-{b}-{c}-{d}";
        Assert.Equal("1-2-3-4", many.ToString()); // more pieces than it keeps apart
    }

    [Fact]
    public void WireRecordsOnlyWhileRecordingIsOn()
    {
        using var device = new SimulatedGvnic();
        VirtualWire wire = VirtualWire.Loopback();
        device.AttachWire(wire);
        wire.Recording = false;
        Assert.False(wire.Recording);
        wire.Inject(device, Frames.Udp4(20));
        Assert.Empty(wire.Frames);
        wire.Recording = true;
        wire.Inject(device, Frames.Udp4(20));
        WireFrame f = Assert.Single(wire.Frames);
        Assert.Equal(FrameDirection.Receive, f.Direction);
        Assert.Equal(1, f.Sequence);
    }
}

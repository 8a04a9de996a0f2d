using System;
using Gvnic.Driver.DataPlane;
using Gvnic.Driver.Tests.EndToEnd;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Driver.Tests.RxResults;

/// <summary>Hostile values in the RX-result fields of DQO completions and in the timestamp command and option: never a crash, each handled as documented.</summary>
public class RxHostileValueTests
{
    private static readonly ulong[] Hostile = [0, 1, 2, 3, 7, 42, 63, 64, 127, 128, 129, 255, 256, 1023, 1024, 4097, 65535, 65536, uint.MaxValue, ulong.MaxValue];

    private static SimulatedGvnic Device() => new(new SimulatedDeviceConfig
    {
        Formats = OfferedFormats.DqoRda | OfferedFormats.DqoQpl, Mac = TestDevices.DeviceMac, NicTimestamp = true, HeaderBufferSize = 128,
    });

    public static readonly TheoryData<QueueFormat, bool> Setups = new() { { QueueFormat.DqoRda, false }, { QueueFormat.DqoQpl, false }, { QueueFormat.DqoRda, true } };

    [Theory]
    [MemberData(nameof(Setups))]
    public void HostileCompletionFieldsNeverCrashAndDecodeAsDocumented(QueueFormat format, bool split)
    {
        foreach (HostileField field in new[] { HostileField.DqoRxPacketType, HostileField.DqoRxHeaderLength, HostileField.DqoRxChecksumFlags, HostileField.DqoRxTimestamp })
        foreach (ulong value in Hostile)
        {
            string at = field + "=" + value + " on " + format + (split ? " with header split" : "");
            using SimulatedGvnic device = Device();
            using Nic nic = Nic.Open(device, TestDevices.Options(format) with { Timestamps = true, HeaderSplit = split });
            device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: field, Value: value));
            byte[] frame = RxFrames.Ipv4Udp(200);
            Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame).Outcome);
            var buffer = new byte[nic.MaxFrameSize];
            bool got = nic.TryReceive(buffer, out int length, out RxInfo info);
            int header = (int)(value & 0x3FF);
            switch (field)
            {
                case HostileField.DqoRxHeaderLength when !split || header == 0 || header > 128:
                    // split_header without header split, or a header_len of 0 or past the 128-byte header buffer: dropped and counted.
                    Assert.False(got, at);
                    Assert.Equal(1, nic.GetRxStatistics().DeviceFaults);
                    break;
                case HostileField.DqoRxHeaderLength:
                    // Inside the header buffer: the driver cannot tell it from the truth, and reads what the buffer holds.
                    Assert.True(got, at);
                    Assert.Equal(header, info.HeaderLength);
                    Assert.Equal(header + frame.Length - 42, length);
                    break;
                case HostileField.DqoRxPacketType:
                    Assert.True(got, at);
                    Assert.True(Enum.IsDefined(info.L3Type) && Enum.IsDefined(info.L4Type), at);
                    break;
                case HostileField.DqoRxChecksumFlags:
                    Assert.True(got, at);
                    bool processed = (value & 1) != 0;
                    Assert.Equal(!processed ? RxChecksum.Unknown : (value & 0xA) != 0 ? RxChecksum.Bad : RxChecksum.Good, info.L3Checksum);
                    Assert.Equal(!processed ? RxChecksum.Unknown : (value & 4) != 0 ? RxChecksum.Bad : RxChecksum.Good, info.L4Checksum);
                    break;
                case HostileField.DqoRxTimestamp:
                    Assert.True(got, at);
                    Assert.Equal(NicClock.Extend(nic.NicClockLastRead, (uint)value), info.Timestamp);
                    break;
            }
            // The queue goes on: the next frame arrives whole, with its true results.
            Assert.Equal(RxOutcome.Delivered, device.InjectFrame(frame).Outcome);
            Assert.True(nic.TryReceive(buffer, out length, out info), at);
            Assert.Equal(frame, buffer[..length]);
            Assert.Equal((RxL3Type.Ipv4, RxL4Type.Udp, RxChecksum.Good, RxChecksum.Good), (info.L3Type, info.L4Type, info.L3Checksum, info.L4Checksum));
            Assert.Empty(device.Violations);
        }
    }

    [Fact]
    public void AHostileClockReadOrOptionMaskIsTakenAsGiven()
    {
        foreach (ulong value in Hostile)
        {
            using (SimulatedGvnic device = Device())
            {
                device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.NicTimestamp, Value: value));
                using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { Timestamps = true });
                Assert.Equal(value, nic.NicClockLastRead);
                device.InjectFrame(RxFrames.Ipv4Udp());
                var buffer = new byte[nic.MaxFrameSize];
                Assert.True(nic.TryReceive(buffer, out _, out RxInfo info));
                Assert.NotNull(info.Timestamp); // extended against a nonsense read, as upstream would: nothing to check it against
            }
            using (SimulatedGvnic device = Device())
            {
                // Upstream gates the feature on the format option's mask, not on the timestamp option's own.
                device.InjectFault(new DeviceFault(DeviceFaultKind.HostileValue, Field: HostileField.NicTimestampFeatures, Value: value));
                using Nic nic = Nic.Open(device, TestDevices.Options(QueueFormat.DqoRda) with { Timestamps = true });
                Assert.True(nic.TimestampsEnabled);
            }
        }
    }
}

using System;
using Gvnic.Admin;
using Gvnic.Wire;

// Decodes the buffer a gVNIC fills for DESCRIBE_DEVICE: the device descriptor, then its options.
// Usage: DescribeDevice [HEX]   (without HEX: the response of the simulator's default device)

const string SimulatorResponse =
    "0000000000001000000001000100000405B400100080010042010A8000020006" +
    "0088000000000000000300040000000000000004000400080000000000000004" +
    "0000000000070008000000000000000400800100000800080000000000000004" +
    "22C000000006000C00000000000000010400040000400040000A000800000000" +
    "0000001010000080";

string hex = args.Length > 0 ? string.Concat(args).Replace(" ", "", StringComparison.Ordinal) : SimulatorResponse;
byte[] buffer;
try
{
    buffer = Convert.FromHexString(hex);
}
catch (FormatException)
{
    Console.Error.WriteLine("describe-device: the argument is not hex bytes (two hex digits per byte, e.g. 00000000000010...)");
    return 2;
}

DeviceDescription device;
try
{
    device = DeviceDescriptorParser.Parse(buffer);
}
catch (DeviceDescriptorException e)
{
    Console.Error.WriteLine("describe-device: " + e.Message);
    return 1;
}

Console.WriteLine("mac:             " + device.MacAddress);
Console.WriteLine("mtu:             " + device.Mtu + (device.JumboMaxMtu is ushort max ? " (jumbo frames up to " + max + ")" : ""));
Console.WriteLine("queues:          " + device.DefaultQueueCount + " of each direction by default");
Console.WriteLine("ring entries:    tx " + device.TxQueueEntries + ", rx " + device.RxQueueEntries);
if (device.ModifyRing is RingSizeLimits rings)
    Console.WriteLine("ring limits:     tx " + rings.MinTxRingSize + ".." + rings.MaxTxRingSize + ", rx " + rings.MinRxRingSize + ".." + rings.MaxRxRingSize);
Console.WriteLine("pages:           " + device.MaxRegisteredPages + " registrable, qpl tx " + device.TxPagesPerQpl + " rx " + device.RxPagesPerQpl);
Console.WriteLine("formats:         " + device.OfferedFormatsText());

// Every option as the schema describes it: the generated option table names the payload struct of each id.
DeviceDescriptor descriptor = DeviceDescriptor.Read(buffer);
Console.WriteLine("options:         " + descriptor.NumDeviceOptions + " (" + descriptor.TotalLength + " bytes with the descriptor)");
int offset = DeviceDescriptor.Size;
for (int i = 0; i < descriptor.NumDeviceOptions; i++)
{
    DeviceOption option = DeviceOption.Read(buffer.AsSpan(offset));
    ReadOnlySpan<byte> payload = buffer.AsSpan(offset + DeviceOption.Size, option.OptionLength);
    WireOption? known = DeviceOptions.Find(option.OptionId);
    string name = known?.Name ?? "0x" + ((ushort)option.OptionId).ToString("x4");
    WireType? type = known?.Payload is string payloadType ? GvnicCatalog.FindType(payloadType) : null;
    string decoded = type is not null && payload.Length >= type.Size ? type.Format(payload) : Convert.ToHexString(payload);
    Console.WriteLine("  " + name.PadRight(13) + " " + decoded);
    offset += DeviceOption.Size + option.OptionLength;
}
foreach (SkippedDeviceOption skipped in device.SkippedOptions)
    Console.WriteLine("  skipped 0x" + skipped.Id.ToString("x4") + ": " + skipped.Reason);
return 0;

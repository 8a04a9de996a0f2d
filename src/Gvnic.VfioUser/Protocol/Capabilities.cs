using System;
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gvnic.VfioUser.Protocol;

/// <summary>
/// The JSON capabilities of a VERSION message (<c>{"capabilities": {...}}</c>, NUL-terminated UTF-8), parsed with
/// the protocol's defaults for what is absent, and the server's answer: a subset of what the client proposed,
/// never migration (this server does not migrate).
/// </summary>
public sealed class Capabilities
{
    /// <summary>max_msg_fds: descriptors the sender can receive in one message (default 1).</summary>
    public uint MaxMessageFds { get; init; } = 1;

    /// <summary>max_data_xfer_size: most data bytes in one region or DMA read/write (default 1 MiB).</summary>
    public uint MaxDataTransferSize { get; init; } = 1024 * 1024;

    /// <summary>pgsizes: page sizes supported for DMA mappings, or'ed (default 4 KiB), when the sender gave them.</summary>
    public ulong? PageSizes { get; init; }

    /// <summary>max_dma_maps: most DMA mappings at once, when the sender gave it.</summary>
    public uint? MaxDmaMaps { get; init; }

    /// <summary>write_multiple: REGION_WRITE_MULTI supported, when the sender gave it.</summary>
    public bool? WriteMultiple { get; init; }

    /// <summary>Whether the sender offered migration (the server never accepts it).</summary>
    public bool MigrationOffered { get; init; }

    /// <summary>
    /// Parses the version data after the major and minor numbers: empty (no capabilities) or JSON ending in one NUL.
    /// Returns null and a reason when the data is not a JSON object of that shape or a value is out of range.
    /// </summary>
    public static Capabilities? Parse(ReadOnlySpan<byte> data, out string problem)
    {
        problem = "";
        if (data.IsEmpty) return new Capabilities();
        if (data[^1] != 0) { problem = "the capabilities are not NUL-terminated"; return null; }
        ReadOnlySpan<byte> json = data[..^1];
        if (json.IndexOf((byte)0) >= 0) { problem = "the capabilities hold a NUL before their end"; return null; }
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) { problem = "the version data is not a JSON object"; return null; }
            var result = new Capabilities();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isCapabilities = reader.ValueTextEquals("capabilities"u8);
                reader.Read();
                if (!isCapabilities)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject) { problem = "\"capabilities\" is not an object"; return null; }
                result = ParseCapabilities(ref reader, out problem);
                if (result is null) return null;
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) { problem = "the version data is not one JSON object"; return null; }
            return result;
        }
        catch (JsonException e)
        {
            problem = "the capabilities are not valid JSON: " + e.Message;
            return null;
        }
    }

    private static Capabilities? ParseCapabilities(ref Utf8JsonReader reader, out string problem)
    {
        problem = "";
        uint maxFds = 1, maxXfer = 1024 * 1024;
        ulong? pageSizes = null;
        uint? maxMaps = null;
        bool? multi = null;
        bool migration = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "max_msg_fds":
                    if (!Number(ref reader, 0, 1024, out ulong fds)) { problem = "max_msg_fds is not a whole number from 0 to 1024"; return null; }
                    maxFds = (uint)fds;
                    break;
                case "max_data_xfer_size":
                    if (!Number(ref reader, 1, 64 * 1024 * 1024, out ulong xfer)) { problem = "max_data_xfer_size is not a whole number from 1 to 64 MiB"; return null; }
                    maxXfer = (uint)xfer;
                    break;
                case "pgsizes":
                    if (!Number(ref reader, 1, ulong.MaxValue, out ulong sizes) || (sizes & 0xFFF) != 0) { problem = "pgsizes is not a mask of page sizes of 4 KiB or more"; return null; }
                    pageSizes = sizes;
                    break;
                case "max_dma_maps":
                    if (!Number(ref reader, 1, uint.MaxValue, out ulong maps)) { problem = "max_dma_maps is not a positive whole number"; return null; }
                    maxMaps = (uint)maps;
                    break;
                case "write_multiple":
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) { problem = "write_multiple is not a boolean"; return null; }
                    multi = reader.GetBoolean();
                    break;
                case "migration":
                    if (reader.TokenType != JsonTokenType.StartObject) { problem = "migration is not an object"; return null; }
                    migration = true;
                    reader.Skip();
                    break;
                default:
                    // A capability this server does not know (twin_socket, say): not taken, so not in the reply.
                    reader.Skip();
                    break;
            }
        }

        return new Capabilities
        {
            MaxMessageFds = maxFds,
            MaxDataTransferSize = maxXfer,
            PageSizes = pageSizes,
            MaxDmaMaps = maxMaps,
            WriteMultiple = multi,
            MigrationOffered = migration,
        };
    }

    private static bool Number(ref Utf8JsonReader reader, ulong min, ulong max, out ulong value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out value) && value >= min && value <= max;
    }

    /// <summary>The capabilities as the NUL-terminated JSON of a VERSION message (only the members that are set).</summary>
    public byte[] ToVersionData()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("capabilities");
            writer.WriteNumber("max_msg_fds", MaxMessageFds);
            writer.WriteNumber("max_data_xfer_size", MaxDataTransferSize);
            if (PageSizes is ulong sizes) writer.WriteNumber("pgsizes", sizes);
            if (MaxDmaMaps is uint maps) writer.WriteNumber("max_dma_maps", maps);
            if (WriteMultiple is bool multi) writer.WriteBoolean("write_multiple", multi);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        byte[] data = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(data);
        return data;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        byte[] data = ToVersionData();
        return Encoding.UTF8.GetString(data, 0, data.Length - 1);
    }
}

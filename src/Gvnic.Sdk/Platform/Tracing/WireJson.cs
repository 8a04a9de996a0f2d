using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Gvnic.Wire;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// Writes wire bytes as a JSON object by walking the generated catalog (<see cref="GvnicCatalog"/>): every field by its
/// schema name, values read through the generated <see cref="WireType.Get"/> (so byte order and bit packing are the
/// generated code's). Enums are written as their value names, flag sets as arrays of names, booleans as booleans, a
/// union as the member its selector picks, a container of bit ranges as its bit ranges. Reserved spans are left out
/// (<c>zero</c> ones appear when they are not zero). A 64-bit value inside a DMA region the trace knows is written as
/// <c>dma#REGION+0xOFFSET</c>. Byte arrays are hex (<c>42:01:0a:80:00:02</c>), or their text when longer than 16 bytes
/// and printable ASCII padded with NULs; arrays of more than 16 structs list only the elements that are not all zero,
/// keyed by index. Fields whose values belong to one run (device-assigned indexes, OS strings) get the
/// <see cref="TraceFormat.RunSpecificPrefix"/>.
/// </summary>
/// <remarks>Used for admin commands and answers: a few dozen per bring-up, so building paths as strings is fine here.</remarks>
internal static class WireJson
{
    private const int LongArray = 16;

    private static readonly FrozenDictionary<string, WireType> Types = GvnicCatalog.Types.ToFrozenDictionary(t => t.Name);
    private static readonly FrozenDictionary<string, WireEnum> Enums = GvnicCatalog.Enums.ToFrozenDictionary(e => e.Name);

    /// <summary>Fields whose values the device or the host chooses for this run: recorded, never compared.</summary>
    private static readonly FrozenSet<(string Type, string Field)> RunSpecific = new[]
    {
        ("queue_resources", "db_index"), ("queue_resources", "counter_index"), ("irq_db", "index"),
        ("driver_info", "os_version_str1"), ("driver_info", "os_version_str2"),
    }.ToFrozenSet();

    /// <summary>The catalog type <paramref name="name"/>; a name the schema lacks is a programming error.</summary>
    public static WireType Type(string name)
        => Types.TryGetValue(name, out var type) ? type : throw new InvalidOperationException("the generated catalog has no type '" + name + "'");

    /// <summary>The catalog enum <paramref name="name"/>, or null.</summary>
    public static WireEnum? Enum(string? name) => name is not null && Enums.TryGetValue(name, out var e) ? e : null;

    /// <summary>The name of <paramref name="value"/> in <paramref name="enumName"/>, or null.</summary>
    public static string? EnumName(string? enumName, ulong value)
    {
        var e = Enum(enumName);
        if (e is null) return null;
        foreach (var v in e.Values)
            if (v.Value == value) return v.Name;
        return null;
    }

    /// <summary>Writes <paramref name="bytes"/> as an object of <paramref name="type"/>'s fields under <paramref name="name"/> (or as a value when null).</summary>
    public static void WriteObject(Utf8JsonWriter json, string? name, WireType type, ReadOnlySpan<byte> bytes, DmaRegionTable? regions)
    {
        if (name is null) json.WriteStartObject();
        else json.WriteStartObject(name);
        WriteMembers(json, type, bytes, regions);
        json.WriteEndObject();
    }

    /// <summary>Writes <paramref name="bytes"/> as an object of <paramref name="type"/>'s fields under <paramref name="name"/>.</summary>
    public static void WriteObject(Utf8JsonWriter json, JsonEncodedText name, WireType type, ReadOnlySpan<byte> bytes, DmaRegionTable? regions)
    {
        json.WriteStartObject(name);
        WriteMembers(json, type, bytes, regions);
        json.WriteEndObject();
    }

    /// <summary>Writes the fields of <paramref name="type"/> into the open object.</summary>
    public static void WriteMembers(Utf8JsonWriter json, WireType type, ReadOnlySpan<byte> bytes, DmaRegionTable? regions)
    {
        var fields = type.Fields;
        for (int i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (field.Union is not null || field.Container is not null) continue; // written with their union or container
            if (field.Kind == WireFieldKind.Union) WriteUnion(json, type, field, bytes, regions);
            else WriteField(json, type, field, bytes, regions);
        }
    }

    /// <summary>Writes a flag set's value as an array of the names of its bits, then any bits without a name in hex.</summary>
    public static void WriteFlags(Utf8JsonWriter json, string name, WireEnum flags, ulong value)
    {
        json.WriteStartArray(name);
        ulong rest = value;
        foreach (var v in flags.Values)
        {
            if (v.Value != 0 && (value & v.Value) == v.Value)
            {
                json.WriteStringValue(v.Name);
                rest &= ~v.Value;
            }
        }
        if (rest != 0) json.WriteStringValue("0x" + rest.ToString("x", CultureInfo.InvariantCulture));
        json.WriteEndArray();
    }

    private static string PropertyName(WireType type, WireField field)
        => RunSpecific.Contains((type.Name, field.Name)) ? TraceFormat.RunSpecificPrefix + field.Name : field.Name;

    private static void WriteUnion(Utf8JsonWriter json, WireType type, WireField union, ReadOnlySpan<byte> bytes, DmaRegionTable? regions)
    {
        string? selected = null;
        if (union.Select is not null)
        {
            if (!type.Get(bytes, union.Select, out ulong selector)) return;
            selected = EnumName(union.TypeName, selector);
            if (selected is null) return; // no member: the selector's value says so
        }
        var fields = type.Fields;
        for (int i = 0; i < fields.Count; i++)
        {
            var member = fields[i];
            if (member.Union != union.Name || member.Container is not null) continue;
            if (selected is not null && !member.When.Contains(selected)) continue;
            WriteField(json, type, member, bytes, regions);
        }
    }

    private static void WriteField(Utf8JsonWriter json, WireType type, WireField field, ReadOnlySpan<byte> bytes, DmaRegionTable? regions)
    {
        if (field.Reserved == "ignore") return;
        string name = PropertyName(type, field);
        if (field.Kind == WireFieldKind.Struct)
        {
            WriteStructField(json, name, field, bytes, regions);
            return;
        }
        if (field.Count > 1)
        {
            WriteArray(json, name, type, field, bytes);
            return;
        }
        if (HasBitRanges(type, field))
        {
            var fields = type.Fields;
            for (int i = 0; i < fields.Count; i++)
            {
                var bits = fields[i];
                if (bits.Container == field.Name && bits.Union == field.Union && bits.BitWidth > 0 && bits.Reserved != "ignore")
                    WriteValue(json, PropertyName(type, bits), type, bits, bits.Name, bytes, regions);
            }
            return;
        }
        WriteValue(json, name, type, field, field.Name, bytes, regions);
    }

    private static bool HasBitRanges(WireType type, WireField container)
    {
        var fields = type.Fields;
        for (int i = 0; i < fields.Count; i++)
            if (fields[i].Container == container.Name && fields[i].Union == container.Union && fields[i].BitWidth > 0) return true;
        return false;
    }

    private static void WriteValue(Utf8JsonWriter json, string name, WireType type, WireField field, string path, ReadOnlySpan<byte> bytes, DmaRegionTable? regions)
    {
        if (!type.Get(bytes, path, out ulong value)) return;
        if (field.Reserved == "zero" && value == 0) return;
        switch (field.Kind)
        {
            case WireFieldKind.Enum:
                string? valueName = EnumName(field.TypeName, value);
                if (valueName is null) json.WriteNumber(name, value);
                else json.WriteString(name, valueName);
                break;
            case WireFieldKind.Flags when Enum(field.TypeName) is WireEnum flags:
                WriteFlags(json, name, flags, value);
                break;
            case WireFieldKind.Bool:
                json.WriteBoolean(name, value != 0);
                break;
            default:
                if (field.Size == 8 && field.BitWidth == 0 && value != 0 && regions?.Name(value) is string dma) json.WriteString(name, dma);
                else json.WriteNumber(name, value);
                break;
        }
    }

    private static void WriteArray(Utf8JsonWriter json, string name, WireType type, WireField field, ReadOnlySpan<byte> bytes)
    {
        if (field.Size == 1 && field.Kind == WireFieldKind.Integer)
        {
            var raw = bytes.Slice(field.Offset, field.Count);
            if (field.Reserved == "zero" && !raw.ContainsAnyExcept((byte)0)) return;
            json.WriteString(name, ByteText(raw));
            return;
        }
        json.WriteStartArray(name);
        for (int i = 0; i < field.Count; i++)
        {
            if (!type.Get(bytes, field.Name + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", out ulong value)) continue;
            string? valueName = field.Kind == WireFieldKind.Enum ? EnumName(field.TypeName, value) : null;
            if (valueName is null) json.WriteNumberValue(value);
            else json.WriteStringValue(valueName);
        }
        json.WriteEndArray();
    }

    private static void WriteStructField(Utf8JsonWriter json, string name, WireField field, ReadOnlySpan<byte> bytes, DmaRegionTable? regions)
    {
        var nested = Type(field.TypeName ?? "");
        if (field.Count == 1)
        {
            WriteObject(json, name, nested, bytes.Slice(field.Offset, field.Size), regions);
            return;
        }
        if (field.Count <= LongArray)
        {
            json.WriteStartArray(name);
            for (int i = 0; i < field.Count; i++) WriteObject(json, null, nested, bytes.Slice(field.Offset + i * field.Size, field.Size), regions);
            json.WriteEndArray();
            return;
        }
        json.WriteStartObject(name);
        for (int i = 0; i < field.Count; i++)
        {
            var element = bytes.Slice(field.Offset + i * field.Size, field.Size);
            if (!element.ContainsAnyExcept((byte)0)) continue;
            WriteObject(json, i.ToString(CultureInfo.InvariantCulture), nested, element, regions);
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Bytes as <c>aa:bb:cc</c> (up to 16), as text when longer and printable ASCII padded with NULs (or all NUL: empty),
    /// else as plain hex.
    /// </summary>
    public static string ByteText(ReadOnlySpan<byte> raw)
    {
        if (raw.Length <= LongArray)
        {
            var text = new System.Text.StringBuilder(raw.Length * 3);
            for (int i = 0; i < raw.Length; i++)
            {
                if (i > 0) text.Append(':');
                text.Append(raw[i].ToString("x2", CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }
        int end = raw.IndexOf((byte)0);
        if (end < 0) end = raw.Length;
        bool printable = !raw[end..].ContainsAnyExcept((byte)0);
        for (int i = 0; i < end && printable; i++) printable = raw[i] is >= 0x20 and < 0x7F;
        return printable ? System.Text.Encoding.ASCII.GetString(raw[..end]) : Convert.ToHexStringLower(raw);
    }
}

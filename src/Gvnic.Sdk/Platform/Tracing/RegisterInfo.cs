using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gvnic.Wire;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// One register of the generated tables (<see cref="Bar0Registers.Registers"/>, <see cref="Bar2Registers.Registers"/>) as the
/// recorder writes it: its name, width and byte order, and what its value means (a flag set's bit names, or a struct's
/// fields), prepared once so an access is written without allocating.
/// </summary>
internal sealed class RegisterInfo
{
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText FlagsName = JsonEncodedText.Encode("flags");
    private static readonly JsonEncodedText FieldsName = JsonEncodedText.Encode("fields");

    private readonly bool _bigEndian;
    private readonly (ulong Mask, JsonEncodedText Name)[] _flags = [];
    private readonly WireType? _struct;

    public RegisterInfo(WireRegister register)
    {
        Register = register;
        Name = JsonEncodedText.Encode(register.Name);
        Bytes = register.Width / 8;
        _bigEndian = register.Order == "big";
        var e = WireJson.Enum(register.TypeName);
        if (e is not null && e.IsFlags)
        {
            _flags = new (ulong, JsonEncodedText)[e.Values.Count];
            for (int i = 0; i < _flags.Length; i++) _flags[i] = (e.Values[i].Value, JsonEncodedText.Encode(e.Values[i].Name));
        }
        else if (e is null && register.TypeName is not null)
        {
            _struct = WireJson.Type(register.TypeName);
        }
    }

    /// <summary>The schema's description.</summary>
    public WireRegister Register { get; }

    /// <summary>The schema name, encoded.</summary>
    public JsonEncodedText Name { get; }

    /// <summary>Width in bytes.</summary>
    public int Bytes { get; }

    /// <summary>The register's value from what a load of <see cref="Bytes"/> bytes returned (the register's byte order undone).</summary>
    public ulong Decode(ulong raw) => Bytes switch
    {
        2 => _bigEndian ? WireEndian.Big((ushort)raw) : WireEndian.Little((ushort)raw),
        4 => _bigEndian ? WireEndian.Big((uint)raw) : WireEndian.Little((uint)raw),
        8 => _bigEndian ? WireEndian.Big(raw) : WireEndian.Little(raw),
        _ => raw,
    };

    /// <summary>
    /// Writes <c>value</c> (hex, the register's width) and what it means: <c>flags</c> (names of the bits set, then unnamed
    /// bits in hex) or <c>fields</c> (the struct's fields). <paramref name="raw"/> is the value as the BAR access carried it.
    /// </summary>
    public void WriteValue(Utf8JsonWriter json, ulong raw, JsonEncodedText valueName = default)
    {
        ulong value = Decode(raw);
        WriteHex(json, valueName.EncodedUtf8Bytes.IsEmpty ? ValueName : valueName, value, Bytes);
        if (_flags.Length > 0)
        {
            json.WriteStartArray(FlagsName);
            ulong rest = value;
            foreach (var (mask, name) in _flags)
            {
                if (mask != 0 && (value & mask) == mask)
                {
                    json.WriteStringValue(name);
                    rest &= ~mask;
                }
            }
            if (rest != 0) WriteHexValue(json, rest, Bytes);
            json.WriteEndArray();
        }
        else if (_struct is not null)
        {
            Span<byte> bytes = stackalloc byte[8];
            MemoryMarshal.Write(bytes, in raw); // the bytes as the store put them on the bus (host order)
            WireJson.WriteObject(json, FieldsName, _struct, bytes[.._struct.Size], null);
        }
    }

    /// <summary>Writes <paramref name="value"/> as <c>0x</c> and 2 × <paramref name="bytes"/> lower-case hex digits.</summary>
    public static void WriteHex(Utf8JsonWriter json, JsonEncodedText name, ulong value, int bytes)
    {
        Span<byte> text = stackalloc byte[18];
        json.WriteString(name, Hex(text, value, bytes));
    }

    /// <summary>Writes <paramref name="value"/> as an array element in hex.</summary>
    public static void WriteHexValue(Utf8JsonWriter json, ulong value, int bytes)
    {
        Span<byte> text = stackalloc byte[18];
        json.WriteStringValue(Hex(text, value, bytes));
    }

    private static ReadOnlySpan<byte> Hex(Span<byte> text, ulong value, int bytes)
    {
        text[0] = (byte)'0';
        text[1] = (byte)'x';
        ReadOnlySpan<char> format = bytes switch { 1 => "x2", 2 => "x4", 4 => "x8", _ => "x16" };
        value.TryFormat(text[2..], out int written, format, CultureInfo.InvariantCulture);
        return text[..(2 + written)];
    }
}

using System;
using System.Globalization;

namespace Gvnic;

/// <summary>An Ethernet MAC address (six bytes), printed as <c>42:01:0a:80:00:02</c>.</summary>
public readonly struct MacAddress : IEquatable<MacAddress>
{
    private readonly ulong _value;

    /// <summary>Reads a MAC address from the first six bytes of <paramref name="bytes"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than six bytes.</exception>
    public MacAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 6) throw new ArgumentException("a MAC address has 6 bytes, the span has " + bytes.Length, nameof(bytes));
        ulong v = 0;
        for (int i = 0; i < 6; i++) v = (v << 8) | bytes[i];
        _value = v;
    }

    /// <summary>Writes the six bytes to <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < 6) throw new ArgumentException("a MAC address needs 6 bytes", nameof(destination));
        for (int i = 0; i < 6; i++) destination[i] = (byte)(_value >> (40 - 8 * i));
    }

    /// <summary>Byte <paramref name="index"/> (0 … 5), first on the wire first.</summary>
    public byte this[int index] => (uint)index < 6 ? (byte)(_value >> (40 - 8 * index)) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Whether the group (multicast) bit is set.</summary>
    public bool IsMulticast => (this[0] & 1) != 0;

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c> (or with dashes).</summary>
    public static MacAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':', '-');
        if (parts.Length != 6) throw new FormatException("'" + text + "' is not a MAC address (six hex bytes separated by ':')");
        Span<byte> b = stackalloc byte[6];
        for (int i = 0; i < 6; i++) b[i] = byte.Parse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new MacAddress(b);
    }

    /// <inheritdoc/>
    public bool Equals(MacAddress other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MacAddress m && Equals(m);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(MacAddress a, MacAddress b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(MacAddress a, MacAddress b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(17, _value, static (chars, v) =>
        {
            const string hex = "0123456789abcdef";
            for (int i = 0; i < 6; i++)
            {
                byte b = (byte)(v >> (40 - 8 * i));
                chars[i * 3] = hex[b >> 4];
                chars[i * 3 + 1] = hex[b & 0xF];
                if (i < 5) chars[i * 3 + 2] = ':';
            }
        });
}

using System;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Gvnic.Wire;

/// <summary>Byte-order conversion for generated accessors: each call swaps when the host's order differs.</summary>
/// <remarks>Generated code calls it; code of your own reads the generated properties instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WireEndian
{
    /// <summary>Converts between big-endian wire order and host order (the conversion is its own inverse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Big(ushort value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    /// <summary>Converts between little-endian wire order and host order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Little(ushort value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    /// <summary>Converts between big-endian wire order and host order (the conversion is its own inverse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Big(uint value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    /// <summary>Converts between little-endian wire order and host order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Little(uint value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    /// <summary>Converts between big-endian wire order and host order (the conversion is its own inverse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Big(ulong value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;

    /// <summary>Converts between little-endian wire order and host order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Little(ulong value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
}

using System;
using System.Collections.Generic;

namespace Gvnic.Sdk.Tests.Support;

public delegate void BitSetter<T>(ref T value, ulong field);
public delegate ulong BitGetter<T>(ref T value);

/// <summary>
/// One bit range as the reference tables give it: the container's byte offset, size and byte order, the first
/// bit and width (counted from the least significant bit of the container's value), and the generated
/// property that reaches it. The model functions below encode and decode it independently of the generator.
/// </summary>
public sealed class BitSpec<T> where T : struct
{
    public BitSpec(string name, int offset, int bytes, bool bigEndian, int at, int width, int typeBits, BitSetter<T> set, BitGetter<T> get)
    {
        Name = name; Offset = offset; Bytes = bytes; BigEndian = bigEndian; At = at; Width = width; TypeBits = typeBits; Set = set; Get = get;
    }

    public string Name { get; }
    public int Offset { get; }
    public int Bytes { get; }
    public bool BigEndian { get; }
    public int At { get; }
    public int Width { get; }

    /// <summary>Bits of the property's C# type (1 for bool).</summary>
    public int TypeBits { get; }

    public BitSetter<T> Set { get; }
    public BitGetter<T> Get { get; }

    public ulong Max => Width == 64 ? ulong.MaxValue : (1UL << Width) - 1;

    private ulong LoadContainer(ReadOnlySpan<byte> image)
    {
        ulong c = 0;
        for (int i = 0; i < Bytes; i++)
        {
            int b = BigEndian ? Offset + i : Offset + Bytes - 1 - i; // most significant byte first
            c = (c << 8) | image[b];
        }
        return c;
    }

    private void StoreContainer(Span<byte> image, ulong c)
    {
        for (int i = 0; i < Bytes; i++)
        {
            int b = BigEndian ? Offset + Bytes - 1 - i : Offset + i; // least significant byte first
            image[b] = (byte)(c >> (8 * i));
        }
    }

    public ulong ModelRead(ReadOnlySpan<byte> image) => (LoadContainer(image) >> At) & Max;

    public void ModelWrite(Span<byte> image, ulong value)
    {
        ulong c = LoadContainer(image);
        c = (c & ~(Max << At)) | ((value & Max) << At);
        StoreContainer(image, c);
    }

    /// <summary>Per byte of the struct, the bits this range owns.</summary>
    public byte[] ByteMask(int size)
    {
        var mask = new byte[size];
        ModelWrite(mask, Max);
        return mask;
    }

    public override string ToString() => Name;
}

public static class BitSpecs
{
    public static BitSpec<T> B<T>(string name, int offset, int bytes, bool bigEndian, int at, int width, int typeBits, BitSetter<T> set, BitGetter<T> get) where T : struct
        => new(name, offset, bytes, bigEndian, at, width, typeBits, set, get);

    public static IReadOnlyList<BitSpec<T>> List<T>(params BitSpec<T>[] specs) where T : struct => specs;
}

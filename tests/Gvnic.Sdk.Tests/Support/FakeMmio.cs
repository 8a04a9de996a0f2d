using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Gvnic.Wire;

namespace Gvnic.Sdk.Tests.Support;

/// <summary>
/// A BAR simulated over a byte array: every access is a plain host-order load or store of the bytes at the
/// offset, as IMmioRegion specifies, and is logged with its width.
/// </summary>
internal sealed class FakeMmio : IMmioRegion
{
    public FakeMmio(int size) => Bytes = new byte[size];

    public byte[] Bytes { get; }

    /// <summary>Every access: (R or W, offset, width in bits).</summary>
    public List<(char Kind, long Offset, int Width)> Log { get; } = new();

    private Span<byte> At(long offset, int count) => Bytes.AsSpan(checked((int)offset), count);

    public byte Read8(long offset) { Log.Add(('R', offset, 8)); return Bytes[offset]; }
    public void Write8(long offset, byte value) { Log.Add(('W', offset, 8)); Bytes[offset] = value; }
    public ushort Read16(long offset) { Log.Add(('R', offset, 16)); return MemoryMarshal.Read<ushort>(At(offset, 2)); }
    public void Write16(long offset, ushort value) { Log.Add(('W', offset, 16)); MemoryMarshal.Write(At(offset, 2), in value); }
    public uint Read32(long offset) { Log.Add(('R', offset, 32)); return MemoryMarshal.Read<uint>(At(offset, 4)); }
    public void Write32(long offset, uint value) { Log.Add(('W', offset, 32)); MemoryMarshal.Write(At(offset, 4), in value); }
    public ulong Read64(long offset) { Log.Add(('R', offset, 64)); return MemoryMarshal.Read<ulong>(At(offset, 8)); }
    public void Write64(long offset, ulong value) { Log.Add(('W', offset, 64)); MemoryMarshal.Write(At(offset, 8), in value); }
}

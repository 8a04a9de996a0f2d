using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Gvnic.Benchmarks.Codec;

/// <summary>
/// The configuration of the codec benchmarks: every benchmark handles a ring of <see cref="CodecRing.Slots"/>
/// descriptors per call (OperationsPerInvoke), so the figures are per descriptor; grouped by category (one descriptor and
/// direction), each category's baseline the hand-written version; allocations measured.
/// </summary>
/// <remarks>
/// Every benchmark method is marked AggressiveOptimization: compiled fully optimised at its first call, without tiering.
/// On a loaded machine the background tier-1 compiler can be starved for longer than the warm-up, and a benchmark is then
/// measured in unoptimised code (seen: 150 ns instead of 3 ns a descriptor). The accessors under test are inlined into
/// these loops either way; the naive variants' BitConverter and Marshal calls are runtime methods that tier as usual.
/// </remarks>
public sealed class CodecConfig : ManualConfig
{
    /// <summary>
    /// In process (no per-benchmark build or process: the 96 benchmarks run in a few minutes), 3 warm-up and 10
    /// measured iterations of about 100 ms each.
    /// </summary>
    public CodecConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithIterationTime(TimeInterval.FromMilliseconds(100)).WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(CategoriesColumn.Default, StatisticColumn.Min, StatisticColumn.Median);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}

/// <summary>Ring geometry and the plain-copy primitive shared by the codec benchmarks.</summary>
internal static class CodecRing
{
    /// <summary>Descriptors per ring, and per benchmark call.</summary>
    public const int Slots = 256;

    /// <summary>
    /// The physical limit: copies each <typeparamref name="T"/>-sized slot of <paramref name="source"/> to the same slot
    /// of <paramref name="destination"/> with one unaligned load and one unaligned store (SIMD for 16 bytes and up), no
    /// bounds checks. <typeparamref name="T"/> is one of the Block types, the size of the descriptor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopySlots<T>(byte[] source, byte[] destination) where T : unmanaged
    {
        ref byte s = ref MemoryMarshal.GetArrayDataReference(source);
        ref byte d = ref MemoryMarshal.GetArrayDataReference(destination);
        int size = Unsafe.SizeOf<T>();
        if (source.Length < Slots * size || destination.Length < Slots * size) throw new ArgumentException("rings too short for " + Slots + " slots of " + size + " bytes");
        for (int i = 0; i < Slots; i++)
        {
            nint o = i * size;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, o), Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref s, o)));
        }
    }
}

/// <summary>16 bytes, moved as one.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Block16 { public ulong A, B; }

/// <summary>32 bytes, moved as one.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Block32 { public Block16 A, B; }

/// <summary>64 bytes, moved as one.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Block64 { public Block32 A, B; }

/// <summary>
/// What a user without a generator writes for big-endian fields: BitConverter and Array.Reverse on small arrays (which
/// allocates for every field).
/// </summary>
internal static class Naive
{
    public static void PutBig(byte[] ring, int offset, ushort value) => Put(ring, offset, BitConverter.GetBytes(value));

    public static void PutBig(byte[] ring, int offset, uint value) => Put(ring, offset, BitConverter.GetBytes(value));

    public static void PutBig(byte[] ring, int offset, ulong value) => Put(ring, offset, BitConverter.GetBytes(value));

    public static ushort BigU16(byte[] ring, int offset) => BitConverter.ToUInt16(Take(ring, offset, 2), 0);

    public static uint BigU32(byte[] ring, int offset) => BitConverter.ToUInt32(Take(ring, offset, 4), 0);

    public static ulong BigU64(byte[] ring, int offset) => BitConverter.ToUInt64(Take(ring, offset, 8), 0);

    private static void Put(byte[] ring, int offset, byte[] bytes)
    {
        if (BitConverter.IsLittleEndian) Array.Reverse(bytes);
        Buffer.BlockCopy(bytes, 0, ring, offset, bytes.Length);
    }

    private static byte[] Take(byte[] ring, int offset, int length)
    {
        var bytes = new byte[length];
        Buffer.BlockCopy(ring, offset, bytes, 0, length);
        if (BitConverter.IsLittleEndian) Array.Reverse(bytes);
        return bytes;
    }
}

using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using Gvnic.Wire;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// An <see cref="IMmioRegion"/> over mapped memory (a BAR mmapped from a VFIO device, or any native buffer):
/// every access is bounds-checked and naturally aligned, and is a single volatile load or store of its width.
/// </summary>
/// <remarks>
/// Loads use acquire and stores release semantics (<see cref="Volatile"/>), so a store to DMA memory that
/// precedes a doorbell write in program order is not moved after it; on processors other than x86/x64 a full
/// barrier is added before each store, because the device, not another CPU, observes it. The region does not
/// own the mapping: the owner unmaps it and calls <see cref="Invalidate"/> first, after which accesses throw
/// <see cref="ObjectDisposedException"/> instead of faulting.
/// </remarks>
public sealed unsafe class MappedMmioRegion : IMmioRegion
{
    private static readonly bool NeedsStoreBarrier = !(System.Runtime.Intrinsics.X86.X86Base.IsSupported);
    private byte* _base;

    /// <summary>Wraps <paramref name="length"/> bytes at <paramref name="pointer"/>.</summary>
    /// <param name="name">How messages name the region, e.g. <c>BAR0 of 0000:00:04.0</c>.</param>
    /// <param name="pointer">The first byte; must stay mapped until <see cref="Invalidate"/>.</param>
    /// <param name="length">The length in bytes.</param>
    public MappedMmioRegion(string name, byte* pointer, long length)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (pointer == null) throw new ArgumentNullException(nameof(pointer));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Name = name;
        _base = pointer;
        Length = length;
    }

    /// <summary>The region's name in messages.</summary>
    public string Name { get; }

    /// <summary>The length in bytes.</summary>
    public long Length { get; }

    /// <summary>Whether <see cref="Invalidate"/> was called.</summary>
    public bool IsInvalidated => _base == null;

    /// <summary>Marks the mapping gone; later accesses throw <see cref="ObjectDisposedException"/>.</summary>
    public void Invalidate() => _base = null;

    /// <inheritdoc/>
    public byte Read8(long offset) => Volatile.Read(ref *At(offset, 1));

    /// <inheritdoc/>
    public ushort Read16(long offset) => Volatile.Read(ref *(ushort*)At(offset, 2));

    /// <inheritdoc/>
    public uint Read32(long offset) => Volatile.Read(ref *(uint*)At(offset, 4));

    /// <inheritdoc/>
    public ulong Read64(long offset) => Volatile.Read(ref *(ulong*)At(offset, 8));

    /// <inheritdoc/>
    public void Write8(long offset, byte value)
    {
        byte* p = At(offset, 1);
        StoreBarrier();
        Volatile.Write(ref *p, value);
    }

    /// <inheritdoc/>
    public void Write16(long offset, ushort value)
    {
        ushort* p = (ushort*)At(offset, 2);
        StoreBarrier();
        Volatile.Write(ref *p, value);
    }

    /// <inheritdoc/>
    public void Write32(long offset, uint value)
    {
        uint* p = (uint*)At(offset, 4);
        StoreBarrier();
        Volatile.Write(ref *p, value);
    }

    /// <inheritdoc/>
    public void Write64(long offset, ulong value)
    {
        ulong* p = (ulong*)At(offset, 8);
        StoreBarrier();
        Volatile.Write(ref *p, value);
    }

    /// <inheritdoc/>
    public override string ToString() => Name + " (" + Length + " bytes)";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBarrier()
    {
        if (NeedsStoreBarrier) Interlocked.MemoryBarrier();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* At(long offset, int width)
    {
        byte* b = _base;
        if (b == null) ThrowGone();
        MmioBounds.Check(offset, width, Length, Name);
        return b + offset;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowGone() => throw new ObjectDisposedException(Name, Name + " is no longer mapped (its PCI function was disposed)");
}

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Gvnic.Platform;

namespace Gvnic.Simulator;

/// <summary>
/// DMA memory for a simulated device: zeroed, aligned native memory, with device addresses from a fake IOVA
/// space above 4 GiB that is unrelated to the host pointer (so address truncation and pointer/IOVA mix-ups
/// show). Regions are separated by unmapped guard pages and IOVAs are never reused, so the device side can
/// tell an access past a region, or into a freed region, from a good one. On the host side each region is
/// followed by 64 canary bytes, checked when it is freed: a driver write past the end of a region is counted in
/// <see cref="Overruns"/> and recorded as a <see cref="ViolationKind.DmaOutOfBounds"/> violation.
/// </summary>
public sealed unsafe class SimulatedDmaAllocator : IDmaAllocator, IDeviceMemory, IDisposable
{
    /// <summary>The first device address handed out (64 GiB, well above 4 GiB).</summary>
    public const ulong IovaBase = 0x10_0000_0000UL;

    private const ulong GuardBytes = 0x1000;
    private const int CanaryBytes = 64;

    private readonly object _gate = new();
    private readonly ViolationLog _violations;
    // Live and freed regions, keyed by device address; freed ones are kept to tell "freed" from "never mapped".
    private readonly SortedList<ulong, Entry> _regions = new();
    // The same entries in address order for the device's lookups, which take no lock: IOVAs only grow, so a new region
    // is appended; the array is replaced (never changed in place below _count) when it grows, then _count published.
    private Entry[] _byAddress = new Entry[16];
    private int _count;
    // The regions recent lookups found, by page of the device address: the device touches a few regions over and over
    // (rings, buffers, counters), so most lookups end here without a search.
    private readonly Entry?[] _recent = new Entry?[RecentSlots];
    private const int RecentSlots = 64;
    private ulong _nextIova = IovaBase;
    private long _nextId = 1;
    private int _outstanding;
    private long _outstandingBytes;
    private long _overruns;

    private sealed class Entry(DmaRegion region, byte* basePointer)
    {
        public DmaRegion Region { get; } = region;
        public readonly ulong Start = region.DeviceAddress;
        public readonly ulong Length = (ulong)region.Length;
        public volatile byte* BasePointer = basePointer; // null once freed (after Freed is set)
        public volatile bool Freed;
    }

    /// <summary>Creates an allocator that records misuse in <paramref name="violations"/>.</summary>
    public SimulatedDmaAllocator(ViolationLog violations)
    {
        _violations = violations ?? throw new ArgumentNullException(nameof(violations));
    }

    /// <inheritdoc/>
    public int OutstandingRegions
    {
        get { lock (_gate) return _outstanding; }
    }

    /// <inheritdoc/>
    public long OutstandingBytes
    {
        get { lock (_gate) return _outstandingBytes; }
    }

    /// <summary>Regions whose canary bytes (just past their end, host side) were found overwritten when they were freed.</summary>
    public long Overruns
    {
        get { lock (_gate) return _overruns; }
    }

    private static byte Canary(int i) => (byte)(0xC3 ^ i);

    /// <summary>Checks the canary behind <paramref name="e"/> (under the gate) and frees its memory.</summary>
    private void Release(Entry e)
    {
        byte* end = e.BasePointer + e.Region.Length;
        for (int i = 0; i < CanaryBytes; i++)
        {
            if (end[i] == Canary(i)) continue;
            _overruns++;
            _violations.Add(ViolationKind.DmaOutOfBounds, -1, e.Region.Id, e.Region + ": the host wrote past its end (canary byte " + i + " overwritten)");
            break;
        }
        NativeMemory.AlignedFree(e.BasePointer);
        e.BasePointer = null;
    }

    /// <inheritdoc/>
    public DmaRegion Allocate(int length, int alignment = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw new ArgumentException("alignment must be a power of two", nameof(alignment));
        int hostAlign = Math.Max(alignment, 64);
        byte* p = (byte*)NativeMemory.AlignedAlloc((nuint)(length + CanaryBytes), (nuint)hostAlign);
        NativeMemory.Clear(p, (nuint)length);
        for (int i = 0; i < CanaryBytes; i++) p[length + i] = Canary(i);
        lock (_gate)
        {
            ulong align = (ulong)Math.Max(alignment, 4096);
            ulong iova = (_nextIova + align - 1) & ~(align - 1);
            _nextIova = iova + (((ulong)length + 0xFFF) & ~0xFFFUL) + GuardBytes;
            var region = new DmaRegion(p, length, iova, _nextId++);
            var entry = new Entry(region, p);
            _regions.Add(iova, entry);
            Entry[] byAddress = _byAddress;
            if (_count == byAddress.Length)
            {
                Array.Resize(ref byAddress, byAddress.Length * 2);
                Volatile.Write(ref _byAddress, byAddress);
            }
            byAddress[_count] = entry;
            Volatile.Write(ref _count, _count + 1);
            _outstanding++;
            _outstandingBytes += length;
            return region;
        }
    }

    /// <inheritdoc/>
    public void Free(DmaRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        lock (_gate)
        {
            if (!_regions.TryGetValue(region.DeviceAddress, out Entry? e) || !ReferenceEquals(e.Region, region))
            {
                _violations.Add(ViolationKind.BadFree, -1, region.Id, region + " was not allocated by this allocator");
                return;
            }
            if (e.Freed)
            {
                _violations.Add(ViolationKind.BadFree, -1, region.Id, region + " was freed twice");
                return;
            }
            e.Freed = true;
            region.MarkFreed();
            Release(e);
            _outstanding--;
            _outstandingBytes -= region.Length;
        }
    }

    /// <summary>
    /// The device's view of <paramref name="length"/> bytes at device address <paramref name="address"/>: true with the
    /// span when the whole range lies in one live region; otherwise false with the reason (nothing is touched).
    /// </summary>
    /// <remarks>Outside every region or past a region's end: <see cref="ViolationKind.DmaOutOfBounds"/>; into a freed region: <see cref="ViolationKind.DmaToFreedRegion"/>.</remarks>
    public bool TryResolve(ulong address, long length, out Span<byte> span, out ViolationKind failure, out string reason)
    {
        span = default;
        failure = ViolationKind.DmaOutOfBounds;
        if (length < 0 || length > int.MaxValue)
        {
            reason = "DMA of " + length + " bytes at 0x" + address.ToString("X") + " has an impossible length";
            return false;
        }
        ref Entry? slot = ref _recent[(int)(address >> 12) & (RecentSlots - 1)];
        Entry? e = slot;
        if (e is null || address - e.Start >= e.Length) e = FindContaining(address);
        if (e is null)
        {
            reason = "DMA of " + length + " bytes at 0x" + address.ToString("X") + " is outside every DMA region";
            return false;
        }
        slot = e;
        ulong offset = address - e.Start;
        byte* basePointer = e.BasePointer; // read before Freed: Free sets Freed, then frees and clears the pointer
        if (e.Freed || basePointer == null)
        {
            failure = ViolationKind.DmaToFreedRegion;
            reason = "DMA of " + length + " bytes at 0x" + address.ToString("X") + " targets " + e.Region + ", which was freed";
            return false;
        }
        if (offset + (ulong)length > e.Length)
        {
            reason = "DMA of " + length + " bytes at 0x" + address.ToString("X") + " runs past the end of " + e.Region;
            return false;
        }
        span = new Span<byte>(basePointer + offset, (int)length);
        reason = "";
        return true;
    }

    /// <summary>The region holding <paramref name="address"/> (binary search, no lock: see <see cref="_byAddress"/>), or null.</summary>
    private Entry? FindContaining(ulong address)
    {
        int count = Volatile.Read(ref _count);
        Entry[] entries = Volatile.Read(ref _byAddress);
        int lo = 0, hi = Math.Min(count, entries.Length) - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].Start <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0) return null;
        Entry e = entries[found];
        ulong end = e.Start + e.Length;
        // An address in the guard gap after a region counts as "outside"; exactly the end of the region is allowed for zero-length probes.
        return address < end || (address == end && e.Length == 0) ? e : null;
    }

    /// <summary>Frees every region still outstanding (for test teardown; a device must be stopped first).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (Entry e in _regions.Values)
            {
                if (e.Freed) continue;
                e.Freed = true;
                e.Region.MarkFreed();
                Release(e);
            }
            _outstanding = 0;
            _outstandingBytes = 0;
        }
    }
}

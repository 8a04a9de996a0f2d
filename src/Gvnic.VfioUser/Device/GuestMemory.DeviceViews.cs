using System;
using System.Collections.Generic;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Protocol;

namespace Gvnic.VfioUser.Device;

/// <summary>
/// Spans for a device model that works on guest memory in place (<see cref="TryResolve"/>), and the views that make a
/// range contiguous for it.
/// </summary>
/// <remarks>
/// Under an IOMMU the client maps guest memory page by page (QEMU sends one DMA_MAP per IOMMU page), so a ring that is
/// contiguous in DMA addresses is many mappings whose pages lie anywhere in the guest's RAM file. A device view maps
/// those pieces of the file side by side into one reserved range of this process, so the device sees one span, as it
/// would through the IOMMU. A view lives until one of its mappings is removed. Pieces the device may only read are
/// mapped privately in a view: a device write into them stays in this process and never reaches the guest, as an IOMMU
/// would block it.
/// </remarks>
public sealed unsafe partial class GuestMemory
{
    private readonly BackingFiles _files = new();
    private readonly object _viewGate = new();
    private readonly List<DeviceView> _views = new();
    private volatile Action? _barrier;

    /// <summary>Files the mappings came from, open while a mapping of them lives (QEMU: its guest RAM memfd).</summary>
    public int OpenFiles => _files.Count;

    /// <summary>Device views alive (each joins several mappings, or maps a read-only one privately).</summary>
    public int DeviceViewCount
    {
        get { lock (_viewGate) return _views.Count; }
    }

    /// <summary>Device views made so far.</summary>
    public long DeviceViewsMade { get; private set; }

    /// <summary>
    /// Sets what runs after DMA_UNMAP (or a client leaving) has taken mappings out of the table and before their memory
    /// is unmapped: it must return only once the device no longer uses a span it got from <see cref="TryResolve"/> for
    /// them. A device that uses such spans only inside its own lock passes something that takes and releases that lock.
    /// It runs on the server's request thread without this object's locks held.
    /// </summary>
    public void SetDeviceBarrier(Action? barrier) => _barrier = barrier;

    /// <summary>
    /// The device's view of <paramref name="length"/> bytes at <paramref name="address"/>, straight over guest memory:
    /// true with the span when bus mastering is on and every byte lies in readable mappings that came with a file
    /// descriptor, adjacent in DMA addresses (joined by a device view when there are several); otherwise false with the
    /// reason and a sentence naming the first byte that fails (<paramref name="reason"/> means nothing on success).
    /// </summary>
    /// <remarks>
    /// No lease is held: the span stays valid until a DMA_UNMAP of its memory has run the device barrier
    /// (<see cref="SetDeviceBarrier"/>), so the device must use it only inside what that barrier waits for. Writes into a
    /// part the client mapped read-only are dropped (they stay in a private copy of the page).
    /// </remarks>
    public bool TryResolve(ulong address, long length, out Span<byte> span, out DmaFaultReason reason, out string detail)
    {
        span = default;
        reason = DmaFaultReason.NotMapped;
        if (length < 0 || length > int.MaxValue)
        {
            detail = $"an access of {length} bytes at 0x{address:X} has an impossible length";
            return false;
        }

        ulong end = address + (ulong)Math.Max(length, 1) - 1;
        if (end < address)
        {
            detail = $"{length} bytes at 0x{address:X} wrap past 2^64";
            return false;
        }

        _lock.EnterReadLock();
        try
        {
            if (!_busMaster)
            {
                reason = DmaFaultReason.BusMasterDisabled;
                detail = $"{length} bytes at 0x{address:X}: bus mastering is off in the command register";
                return false;
            }

            Mapping[] current = _mappings;
            int first = Locate(current, address);
            if (first < 0)
            {
                detail = $"0x{address:X} is in no DMA mapping of the client";
                return false;
            }

            int last = first;
            while (current[last].Last < end)
            {
                if (last + 1 >= current.Length || current[last + 1].Address != current[last].Last + 1)
                {
                    ulong hole = current[last].Last + 1;
                    detail = $"{length} bytes at 0x{address:X} run past the mapping 0x{current[last].Address:X}+0x{current[last].Size:X}: 0x{hole:X} is in no DMA mapping of the client";
                    return false;
                }

                last++;
            }

            for (int i = first; i <= last; i++)
            {
                Mapping m = current[i];
                if (!m.Readable)
                {
                    reason = DmaFaultReason.NoPermission;
                    detail = $"{length} bytes at 0x{address:X}: the mapping 0x{m.Address:X}+0x{m.Size:X} is not readable by the device";
                    return false;
                }

                if (m.File is null)
                {
                    reason = DmaFaultReason.NotDirectlyMapped;
                    detail = $"{length} bytes at 0x{address:X}: the mapping 0x{m.Address:X}+0x{m.Size:X} came without a file descriptor (reachable by DMA messages only)";
                    return false;
                }
            }

            byte* at;
            if (first == last && current[first].Writable)
            {
                at = current[first].Host + (address - current[first].Address);
            }
            else
            {
                DeviceView? view = View(current, first, last, out detail);
                if (view is null)
                {
                    reason = DmaFaultReason.HostMappingFailed;
                    detail = $"{length} bytes at 0x{address:X}: {detail}";
                    return false;
                }

                at = view.Base + (address - current[first].Address);
            }

            span = new Span<byte>(at, (int)length);
            detail = "";
            return true;
        }
        finally { _lock.ExitReadLock(); }
    }

    private static int Locate(Mapping[] current, ulong address)
    {
        int lo = 0, hi = current.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (current[mid].Last < address) lo = mid + 1;
            else if (current[mid].Address > address) hi = mid - 1;
            else return mid;
        }

        return -1;
    }

    // Under the read lock: the view of current[first..last] (adjacent mappings), made on first use.
    private DeviceView? View(Mapping[] current, int first, int last, out string detail)
    {
        detail = "";
        int pieces = last - first + 1;
        lock (_viewGate)
        {
            foreach (DeviceView v in _views)
            {
                if (v.Pieces.Length == pieces && ReferenceEquals(v.Pieces[0], current[first]) && ReferenceEquals(v.Pieces[^1], current[last])) return v;
            }

            Mapping start = current[first];
            ulong total = current[last].Last - start.Address + 1;
            int result = Posix.Reserve(total, out byte* at);
            if (result < 0)
            {
                detail = $"reserving {total} bytes of address space for a device view failed ({Errno.Name(-result)})";
                return null;
            }

            var joined = new Mapping[pieces];
            for (int i = 0; i < pieces; i++)
            {
                Mapping m = current[first + i];
                joined[i] = m;
                result = Posix.MapFixed(at + (m.Address - start.Address), m.Size, m.File!.Fd, m.FileOffset, shared: m.Writable);
                if (result < 0)
                {
                    Posix.Unmap(at, total);
                    detail = $"mapping 0x{m.Address:X}+0x{m.Size:X} into a device view failed ({Errno.Name(-result)})";
                    return null;
                }
            }

            var view = new DeviceView(joined, at, total);
            _views.Add(view);
            DeviceViewsMade++;
            return view;
        }
    }

    // Under the write lock: marks the mappings retired and takes the views over any of them out of the list.
    private List<DeviceView>? DetachViews(Mapping[] gone)
    {
        if (gone.Length == 0) return null;
        foreach (Mapping m in gone) m.Retired = true;
        List<DeviceView>? dead = null;
        lock (_viewGate)
        {
            for (int i = _views.Count - 1; i >= 0; i--)
            {
                foreach (Mapping piece in _views[i].Pieces)
                {
                    if (!piece.Retired) continue;
                    (dead ??= new()).Add(_views[i]);
                    _views.RemoveAt(i);
                    break;
                }
            }
        }

        return dead;
    }

    // Without locks: waits for the device (the barrier), then unmaps the views and mappings taken out of the table.
    private void Retire(Mapping[] gone, List<DeviceView>? dead)
    {
        if (gone.Length == 0) return;
        try
        {
            _barrier?.Invoke();
        }
        finally
        {
            if (dead is not null)
            {
                foreach (DeviceView v in dead) Posix.Unmap(v.Base, v.Length);
            }

            foreach (Mapping m in gone) Release(m);
        }
    }

    private sealed class DeviceView(Mapping[] pieces, byte* @base, ulong length)
    {
        public Mapping[] Pieces { get; } = pieces;
        public byte* Base { get; } = @base;
        public ulong Length { get; } = length;
    }
}

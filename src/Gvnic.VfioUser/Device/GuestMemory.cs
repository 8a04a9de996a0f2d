using System;
using System.Collections.Generic;
using System.Threading;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Protocol;

namespace Gvnic.VfioUser.Device;

/// <summary>
/// The client memory the device may reach, as the client describes it with DMA_MAP and DMA_UNMAP: a set of
/// non-overlapping ranges of DMA addresses, each mapped into this process from the file descriptor the client
/// passed (QEMU passes the guest RAM's memfd) or, without one, reached through DMA_READ/DMA_WRITE messages.
/// <para>
/// The device copies with <see cref="Read"/> and <see cref="Write"/> (which cross mappings and work for both
/// kinds), or takes a <see cref="Lease"/>: a span straight over mapped memory, valid until the lease is disposed;
/// DMA_UNMAP of that range waits for it, as the protocol asks ("release all references before replying").
/// Every access checks the bus-master bit, the mapping and its direction; a failure is a
/// <see cref="DmaFaultException"/> naming the range. Thread-safe.
/// </para>
/// </summary>
public sealed unsafe partial class GuestMemory : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private Mapping[] _mappings = [];
    private volatile bool _busMaster;
    private volatile IDmaMessenger? _messenger;

    /// <summary>Whether the function may master the bus; the server follows the command register.</summary>
    public bool BusMasterEnabled => _busMaster;

    /// <summary>Number of mappings.</summary>
    public int MappingCount
    {
        get
        {
            _lock.EnterReadLock();
            try { return _mappings.Length; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>The mappings, by address (a snapshot, for diagnostics).</summary>
    public IReadOnlyList<DmaRange> Mappings
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                var list = new DmaRange[_mappings.Length];
                for (int i = 0; i < list.Length; i++)
                {
                    Mapping m = _mappings[i];
                    list[i] = new DmaRange(m.Address, m.Size, m.Readable, m.Writable, m.Host != null);
                }

                return list;
            }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Copies guest memory at <paramref name="address"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="DmaFaultException">Some byte is unreachable; nothing is known about the destination then.</exception>
    public void Read(ulong address, Span<byte> destination) => Copy(address, destination, default, DmaAccess.Read);

    /// <summary>Copies <paramref name="source"/> to guest memory at <paramref name="address"/>.</summary>
    /// <exception cref="DmaFaultException">Some byte is unreachable (bytes before it may have been written).</exception>
    public void Write(ulong address, ReadOnlySpan<byte> source) => Copy(address, default, source, DmaAccess.Write);

    /// <summary>
    /// A span of <paramref name="length"/> bytes of guest memory at <paramref name="address"/>, straight over the
    /// mapping (no copy). The range must lie in one mapping the client passed a file descriptor for.
    /// Dispose the lease on the thread that took it; until then DMA_UNMAP of the range waits.
    /// </summary>
    /// <exception cref="DmaFaultException">The range is not one directly mapped range with that access.</exception>
    public DmaLease Lease(ulong address, int length, DmaAccess access)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        _lock.EnterReadLock();
        try
        {
            CheckBusMaster(address, length, access);
            Mapping m = Find(address, length, access);
            if (length > 0 && address + (ulong)length - 1 > m.Last)
                throw new DmaFaultException(address, length, access, DmaFaultReason.CrossesMappings,
                    $"the range runs past the mapping 0x{m.Address:X}+0x{m.Size:X} into the next; copy with Read/Write instead");
            if (m.Host == null)
                throw new DmaFaultException(address, length, access, DmaFaultReason.NotDirectlyMapped,
                    $"the mapping 0x{m.Address:X}+0x{m.Size:X} came without a file descriptor (reachable by DMA messages only); copy with Read/Write instead");
            var span = new Span<byte>(m.Host + (address - m.Address), length);
            return new DmaLease(this, span);
        }
        catch
        {
            _lock.ExitReadLock();
            throw;
        }
    }

    internal void ReleaseLease() => _lock.ExitReadLock();

    internal void SetBusMaster(bool enabled) => _busMaster = enabled;

    internal void SetMessenger(IDmaMessenger? messenger) => _messenger = messenger;

    /// <summary>
    /// Adds a mapping (DMA_MAP); 0 or -errno. Takes ownership of <paramref name="fd"/> (-1 for none): the file stays open
    /// while a mapping of it lives (one descriptor per file, however many mappings), as device views are mapped from it.
    /// </summary>
    internal int Map(ulong address, ulong size, bool readable, bool writable, int fd, long fileOffset, int maxMappings, out string detail)
    {
        byte* host = null;
        BackingFile? file = null;
        try
        {
            if (size == 0) { detail = "size 0"; return -Errno.EINVAL; }
            if (address + (size - 1) < address) { detail = $"0x{address:X}+0x{size:X} wraps past 2^64"; return -Errno.EINVAL; }
            if (fd >= 0)
            {
                int stat = Posix.FileIdentity(fd, out bool regular, out long fileSize, out ulong device, out ulong inode);
                if (stat < 0) { detail = "fstat of the passed descriptor failed"; return stat; }
                if (!regular) { detail = "the passed descriptor is not a regular file (a memfd or a file on tmpfs/hugetlbfs is expected)"; return -Errno.EINVAL; }
                if (fileOffset < 0 || (ulong)fileOffset > (ulong)fileSize || size > (ulong)fileSize - (ulong)fileOffset)
                {
                    detail = $"the range 0x{fileOffset:X}+0x{size:X} of the passed file lies past its end (0x{fileSize:X} bytes)";
                    return -Errno.EINVAL;
                }

                int mapped = Posix.MapShared(fd, size, fileOffset, writable, out host);
                if (mapped < 0) { detail = "mmap of the passed descriptor failed"; return mapped; }
                file = new BackingFile(fd, device, inode);
                fd = -1; // owned by the backing file now (or closed when the file is already open)
            }

            _lock.EnterWriteLock();
            try
            {
                Mapping[] current = _mappings;
                if (current.Length >= maxMappings) { detail = $"already {current.Length} mappings, the most this server takes"; return Fail(-Errno.ENOSPC); }
                int at = 0;
                while (at < current.Length && current[at].Address < address) at++;
                ulong last = address + (size - 1);
                if (at > 0 && current[at - 1].Last >= address) { detail = $"overlaps the mapping 0x{current[at - 1].Address:X}+0x{current[at - 1].Size:X}"; return Fail(-Errno.EEXIST); }
                if (at < current.Length && current[at].Address <= last) { detail = $"overlaps the mapping 0x{current[at].Address:X}+0x{current[at].Size:X}"; return Fail(-Errno.EEXIST); }
                var next = new Mapping[current.Length + 1];
                Array.Copy(current, next, at);
                next[at] = new Mapping(address, size, readable, writable, host, file is null ? null : _files.Share(file), fileOffset);
                Array.Copy(current, at, next, at + 1, current.Length - at);
                _mappings = next;
                host = null; // owned by the mapping now
                file = null;
                detail = "";
                return 0;
            }
            finally { _lock.ExitWriteLock(); }
        }
        finally
        {
            if (fd >= 0) Posix.Close(fd);
            file?.Close();
        }

        int Fail(int error)
        {
            if (host != null)
            {
                Posix.Unmap(host, size);
                host = null;
            }

            return error;
        }
    }

    /// <summary>
    /// Removes every mapping inside <paramref name="address"/>+<paramref name="size"/> (DMA_UNMAP), waiting for
    /// leases on them; 0 or -errno, and how many were removed. The protocol text asks for an exact match, but
    /// QEMU's client follows the kernel's type1 container, which removes whatever lies wholly inside the range
    /// (with a vIOMMU it unmaps whole power-of-two windows, most of them empty): so does this server. A mapping
    /// only partly inside is refused (EINVAL), as type1 refuses to split one, and then nothing is removed.
    /// The memory is unmapped after the device barrier (<see cref="SetDeviceBarrier"/>) has run.
    /// </summary>
    internal int Unmap(ulong address, ulong size, out int removed, out string detail)
    {
        removed = 0;
        if (size == 0) { detail = "size 0"; return -Errno.EINVAL; }
        ulong last = address + (size - 1);
        if (last < address) { detail = $"0x{address:X}+0x{size:X} wraps past 2^64"; return -Errno.EINVAL; }
        Mapping[] gone;
        List<DeviceView>? dead;
        _lock.EnterWriteLock();
        try
        {
            Mapping[] current = _mappings;
            int inside = 0;
            foreach (Mapping m in current)
            {
                if (m.Last < address || m.Address > last) continue;
                if (m.Address < address || m.Last > last)
                {
                    detail = $"0x{address:X}+0x{size:X} covers only part of the mapping 0x{m.Address:X}+0x{m.Size:X}";
                    return -Errno.EINVAL;
                }

                inside++;
            }

            gone = new Mapping[inside];
            if (inside > 0)
            {
                var next = new Mapping[current.Length - inside];
                int at = 0, g = 0;
                foreach (Mapping m in current)
                {
                    if (m.Address >= address && m.Last <= last) gone[g++] = m;
                    else next[at++] = m;
                }

                _mappings = next;
            }

            dead = DetachViews(gone);
            removed = inside;
            detail = "";
        }
        finally { _lock.ExitWriteLock(); }

        Retire(gone, dead);
        return 0;
    }

    /// <summary>Removes every mapping (DMA_UNMAP with the ALL flag, or the client left).</summary>
    internal void UnmapAll()
    {
        Mapping[] gone;
        List<DeviceView>? dead;
        _lock.EnterWriteLock();
        try
        {
            gone = _mappings;
            _mappings = [];
            dead = DetachViews(gone);
        }
        finally { _lock.ExitWriteLock(); }

        Retire(gone, dead);
    }

    /// <summary>Unmaps everything.</summary>
    public void Dispose() => UnmapAll();

    private void Copy(ulong address, Span<byte> into, ReadOnlySpan<byte> from, DmaAccess access)
    {
        int length = access == DmaAccess.Read ? into.Length : from.Length;
        _lock.EnterReadLock();
        try
        {
            CheckBusMaster(address, length, access);
            CheckCovered(address, length, access);
            int done = 0;
            while (done < length)
            {
                ulong at = address + (ulong)done;
                Mapping m = Find(at, length, access);
                ulong inMapping = m.Last - at + 1;
                int chunk = (int)Math.Min((ulong)(length - done), inMapping);
                if (m.Host != null)
                {
                    var memory = new Span<byte>(m.Host + (at - m.Address), chunk);
                    if (access == DmaAccess.Read) memory.CopyTo(into.Slice(done, chunk));
                    else from.Slice(done, chunk).CopyTo(memory);
                }
                else
                {
                    ByMessage(at, access == DmaAccess.Read ? into.Slice(done, chunk) : default, access == DmaAccess.Write ? from.Slice(done, chunk) : default, access);
                }

                done += chunk;
            }
        }
        finally { _lock.ExitReadLock(); }
    }

    private void ByMessage(ulong address, Span<byte> into, ReadOnlySpan<byte> from, DmaAccess access)
    {
        IDmaMessenger? messenger = _messenger;
        int length = access == DmaAccess.Read ? into.Length : from.Length;
        if (messenger is null)
            throw new DmaFaultException(address, length, access, DmaFaultReason.Disconnected, "no client is connected to carry the DMA message");
        int step = Math.Max(1, messenger.MaxTransfer);
        for (int done = 0; done < length; done += step)
        {
            int chunk = Math.Min(step, length - done);
            ulong at = address + (ulong)done;
            int result = access == DmaAccess.Read ? messenger.Read(at, into.Slice(done, chunk)) : messenger.Write(at, from.Slice(done, chunk));
            if (result == -Errno.ETIMEDOUT)
                throw new DmaFaultException(at, chunk, access, DmaFaultReason.Timeout, "the client did not answer the DMA message in time");
            if (result == -Errno.ENOTSUP)
                throw new DmaFaultException(at, chunk, access, DmaFaultReason.Disconnected, "the client went away before answering the DMA message");
            if (result < 0)
                throw new DmaFaultException(at, chunk, access, DmaFaultReason.ClientError, "the client answered the DMA message with " + Errno.Name(-result));
        }
    }

    private void CheckBusMaster(ulong address, long length, DmaAccess access)
    {
        if (!_busMaster)
            throw new DmaFaultException(address, length, access, DmaFaultReason.BusMasterDisabled,
                "the command register's bus-master bit is off (the driver has not enabled DMA, or has disabled it)");
    }

    // The mapping holding address, with the access allowed.
    private Mapping Find(ulong address, long length, DmaAccess access) => _mappings[IndexOf(address, length, access)];

    private int IndexOf(ulong address, long length, DmaAccess access)
    {
        Mapping[] current = _mappings;
        int lo = 0, hi = current.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (current[mid].Last < address) lo = mid + 1;
            else if (current[mid].Address > address) hi = mid - 1;
            else
            {
                CheckPermission(current[mid], address, length, access);
                return mid;
            }
        }

        throw Unmapped(address, length, access);
    }

    // Every byte of the range lies in mappings (adjacent ones may share it) that allow the access: checked before a
    // copy starts, so a copy that cannot finish changes nothing.
    private void CheckCovered(ulong address, long length, DmaAccess access)
    {
        if (length == 0) return;
        ulong end = address + (ulong)(length - 1);
        if (end < address) throw Unmapped(address, length, access);
        Mapping[] current = _mappings;
        int i = IndexOf(address, length, access);
        while (current[i].Last < end)
        {
            if (i + 1 >= current.Length || current[i + 1].Address != current[i].Last + 1) throw Unmapped(current[i].Last + 1, length, access);
            i++;
            CheckPermission(current[i], address, length, access);
        }
    }

    private static void CheckPermission(Mapping m, ulong address, long length, DmaAccess access)
    {
        if (access == DmaAccess.Read ? m.Readable : m.Writable) return;
        throw new DmaFaultException(address, length, access, DmaFaultReason.NoPermission,
            $"the mapping 0x{m.Address:X}+0x{m.Size:X} is not {(access == DmaAccess.Read ? "readable" : "writable")} by the device");
    }

    private static DmaFaultException Unmapped(ulong address, long length, DmaAccess access) =>
        new(address, length, access, DmaFaultReason.NotMapped, $"0x{address:X} is in no DMA mapping of the client");

    private void Release(Mapping m)
    {
        if (m.Host != null) Posix.Unmap(m.Host, m.Size);
        if (m.File is not null) _files.Release(m.File);
    }

    private sealed class Mapping(ulong address, ulong size, bool readable, bool writable, byte* host, BackingFile? file, long fileOffset)
    {
        public ulong Address { get; } = address;
        public ulong Size { get; } = size;
        public ulong Last { get; } = address + (size - 1);
        public bool Readable { get; } = readable;
        public bool Writable { get; } = writable;
        public byte* Host { get; } = host;

        /// <summary>The file the mapping came from (null: reached by DMA messages).</summary>
        public BackingFile? File { get; } = file;

        /// <summary>Where in <see cref="File"/> the mapping starts.</summary>
        public long FileOffset { get; } = fileOffset;

        /// <summary>Taken out of the table (set under the write lock); device views over it are dead.</summary>
        public bool Retired { get; set; }
    }
}

/// <summary>One DMA mapping of the client, for diagnostics.</summary>
/// <param name="Address">First DMA address.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Readable">The device may read it.</param>
/// <param name="Writable">The device may write it.</param>
/// <param name="DirectlyMapped">Mapped into this process from a passed file descriptor (false: reached by DMA messages).</param>
public readonly record struct DmaRange(ulong Address, ulong Size, bool Readable, bool Writable, bool DirectlyMapped);

/// <summary>A span over guest memory, valid until disposed (see <see cref="GuestMemory.Lease"/>).</summary>
public ref struct DmaLease
{
    private GuestMemory? _owner;

    internal DmaLease(GuestMemory owner, Span<byte> span)
    {
        _owner = owner;
        Span = span;
    }

    /// <summary>The guest memory.</summary>
    public Span<byte> Span { get; }

    /// <summary>Ends the lease (once; later calls do nothing).</summary>
    public void Dispose()
    {
        GuestMemory? owner = _owner;
        _owner = null;
        owner?.ReleaseLease();
    }
}

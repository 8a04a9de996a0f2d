using System.Collections.Generic;
using Gvnic.VfioUser.Interop;

namespace Gvnic.VfioUser.Device;

/// <summary>
/// A file the client passed with DMA_MAP (QEMU passes its guest RAM's memfd), kept open while a mapping of it lives:
/// <see cref="GuestMemory"/> maps device views from it. Identified by device and inode, since each message carries a
/// new descriptor for the same file.
/// </summary>
internal sealed class BackingFile(int fd, ulong device, ulong inode)
{
    /// <summary>The open descriptor.</summary>
    public int Fd { get; private set; } = fd;

    /// <summary>The file system's device number.</summary>
    public ulong Device { get; } = device;

    /// <summary>The inode number.</summary>
    public ulong Inode { get; } = inode;

    /// <summary>Mappings that use the file (kept by <see cref="BackingFiles"/>).</summary>
    public int Users { get; set; }

    /// <summary>Closes the descriptor (once).</summary>
    public void Close()
    {
        if (Fd < 0) return;
        Posix.Close(Fd);
        Fd = -1;
    }
}

/// <summary>The open <see cref="BackingFile"/>s, one per file however many mappings and descriptors name it. Thread-safe.</summary>
internal sealed class BackingFiles
{
    private readonly object _gate = new();
    private readonly Dictionary<(ulong Device, ulong Inode), BackingFile> _open = new();

    /// <summary>Open files.</summary>
    public int Count
    {
        get { lock (_gate) return _open.Count; }
    }

    /// <summary>
    /// A mapping of <paramref name="file"/> begins: returns the file already open with its identity (closing the
    /// duplicate descriptor) or <paramref name="file"/> itself, its user count raised either way.
    /// </summary>
    public BackingFile Share(BackingFile file)
    {
        lock (_gate)
        {
            if (_open.TryGetValue((file.Device, file.Inode), out BackingFile? known))
            {
                file.Close();
                known.Users++;
                return known;
            }

            file.Users = 1;
            _open.Add((file.Device, file.Inode), file);
            return file;
        }
    }

    /// <summary>A mapping of <paramref name="file"/> ends; the last one closes it.</summary>
    public void Release(BackingFile file)
    {
        lock (_gate)
        {
            if (--file.Users > 0) return;
            _open.Remove((file.Device, file.Inode));
            file.Close();
        }
    }
}

using System;
using Gvnic.Runtime.Vfio.Interop;
using Gvnic.Wire;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// An <see cref="IMmioRegion"/> over a BAR that VFIO does not let us mmap: each access is one pread or pwrite of
/// its width on the device file at the region's offset, which vfio-pci turns into one load or store of that width.
/// Slower than <see cref="MappedMmioRegion"/> (a system call per access) but the same bounds, alignment and values.
/// </summary>
internal sealed unsafe class FileMmioRegion : IMmioRegion
{
    private readonly ILinuxApi _api;
    private readonly long _fileOffset;
    private readonly string _device;
    private int _fd;

    /// <summary>Wraps <paramref name="length"/> bytes at <paramref name="fileOffset"/> of the device file <paramref name="fd"/>.</summary>
    public FileMmioRegion(ILinuxApi api, int fd, long fileOffset, long length, string name, string device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _api = api;
        _fd = fd;
        _fileOffset = fileOffset;
        _device = device;
        Length = length;
        Name = name;
    }

    /// <summary>The region's name in messages, e.g. <c>BAR2 of 0000:00:05.0</c>.</summary>
    public string Name { get; }

    /// <summary>The length in bytes.</summary>
    public long Length { get; }

    /// <summary>Whether <see cref="Invalidate"/> was called.</summary>
    public bool IsInvalidated => _fd < 0;

    /// <summary>Marks the device file gone; later accesses throw <see cref="ObjectDisposedException"/>.</summary>
    public void Invalidate() => _fd = -1;

    /// <inheritdoc/>
    public byte Read8(long offset) => Read<byte>(offset);

    /// <inheritdoc/>
    public ushort Read16(long offset) => Read<ushort>(offset);

    /// <inheritdoc/>
    public uint Read32(long offset) => Read<uint>(offset);

    /// <inheritdoc/>
    public ulong Read64(long offset) => Read<ulong>(offset);

    /// <inheritdoc/>
    public void Write8(long offset, byte value) => Transfer(offset, &value, 1, write: true);

    /// <inheritdoc/>
    public void Write16(long offset, ushort value) => Transfer(offset, &value, 2, write: true);

    /// <inheritdoc/>
    public void Write32(long offset, uint value) => Transfer(offset, &value, 4, write: true);

    /// <inheritdoc/>
    public void Write64(long offset, ulong value) => Transfer(offset, &value, 8, write: true);

    /// <inheritdoc/>
    public override string ToString() => Name + " (" + Length + " bytes, pread/pwrite)";

    /// <summary>One pread of the value's width at <paramref name="offset"/>.</summary>
    private T Read<T>(long offset) where T : unmanaged
    {
        T value;
        Transfer(offset, &value, sizeof(T), write: false);
        return value;
    }

    private void Transfer(long offset, void* value, int width, bool write)
    {
        int fd = _fd;
        if (fd < 0) throw new ObjectDisposedException(Name, Name + " is no longer accessible (its PCI function was disposed)");
        MmioBounds.Check(offset, width, Length, Name);
        long n = write ? _api.Pwrite(fd, value, (nuint)width, _fileOffset + offset) : _api.Pread(fd, value, (nuint)width, _fileOffset + offset);
        if (n != width) ThrowFailed(offset, width, write, n);
    }

    private void ThrowFailed(long offset, int width, bool write, long result)
    {
        string step = (write ? "pwrite" : "pread") + " of " + width + " bytes at offset 0x" + offset.ToString("X") + " of " + Name;
        if (result < 0) throw new VfioException(step, _device, (int)-result);
        throw new VfioException(step, _device, step + " on " + _device + " transferred " + result + " of " + width + " bytes");
    }
}

using System;
using System.Diagnostics;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio.Interop;

namespace Gvnic.Runtime.Vfio;

/// <summary>
/// MSI-X through VFIO: one eventfd per vector, bound with VFIO_DEVICE_SET_IRQS; the kernel signals the eventfd
/// when the vector fires, and <see cref="Wait"/> polls it.
/// </summary>
/// <remarks>
/// Waiting on different vectors from different threads is safe; <see cref="Enable"/> and <see cref="Disable"/>
/// must not run while another thread waits.
/// </remarks>
public sealed unsafe class VfioInterruptController : IInterruptController
{
    private readonly ILinuxApi _api;
    private readonly int _deviceFd;
    private readonly string _deviceName;
    private int[] _eventFds = [];

    internal VfioInterruptController(ILinuxApi api, int deviceFd, string deviceName, int vectorCount)
    {
        _api = api;
        _deviceFd = deviceFd;
        _deviceName = deviceName;
        VectorCount = vectorCount;
    }

    /// <inheritdoc/>
    public int VectorCount { get; }

    /// <summary>How many vectors are enabled (0 when disabled).</summary>
    public int EnabledCount => _eventFds.Length;

    /// <summary>The eventfd of each enabled vector (for diagnostics).</summary>
    public ReadOnlySpan<int> EventFds => _eventFds;

    /// <inheritdoc/>
    public void Enable(int count)
    {
        if (count <= 0 || count > VectorCount)
            throw new ArgumentOutOfRangeException(nameof(count), count, _deviceName + " has " + VectorCount + " MSI-X vectors; enable 1 to " + VectorCount);
        if (_eventFds.Length > 0) Disable();

        var fds = new int[count];
        int created = 0;
        try
        {
            for (; created < count; created++)
            {
                int fd = _api.EventFd();
                if (fd < 0) throw new VfioException("eventfd for MSI-X vector " + created, _deviceName, -fd);
                fds[created] = fd;
            }

            int size = sizeof(vfio_irq_set) + count * sizeof(int);
            byte* buffer = stackalloc byte[size];
            var header = (vfio_irq_set*)buffer;
            header->argsz = (uint)size;
            header->flags = VfioAbi.VFIO_IRQ_SET_DATA_EVENTFD | VfioAbi.VFIO_IRQ_SET_ACTION_TRIGGER;
            header->index = VfioAbi.VFIO_PCI_MSIX_IRQ_INDEX;
            header->start = 0;
            header->count = (uint)count;
            int* data = (int*)(buffer + sizeof(vfio_irq_set));
            for (int i = 0; i < count; i++) data[i] = fds[i];
            int result = _api.Ioctl(_deviceFd, VfioAbi.VFIO_DEVICE_SET_IRQS, buffer);
            if (result < 0)
            {
                throw new VfioException("VFIO_DEVICE_SET_IRQS (MSI-X vectors 0-" + (count - 1) + " to eventfds)", _deviceName, -result,
                    -result == Errno.EINVAL ? "The kernel refused the vector count; try fewer vectors" : null);
            }
        }
        catch
        {
            for (int i = 0; i < created; i++) _api.Close(fds[i]);
            throw;
        }

        _eventFds = fds;
    }

    /// <inheritdoc/>
    public void Disable()
    {
        var fds = _eventFds;
        if (fds.Length == 0) return;
        var set = new vfio_irq_set
        {
            argsz = (uint)sizeof(vfio_irq_set),
            flags = VfioAbi.VFIO_IRQ_SET_DATA_NONE | VfioAbi.VFIO_IRQ_SET_ACTION_TRIGGER,
            index = VfioAbi.VFIO_PCI_MSIX_IRQ_INDEX,
            start = 0,
            count = 0,
        };
        int result = _api.Ioctl(_deviceFd, VfioAbi.VFIO_DEVICE_SET_IRQS, &set);
        _eventFds = [];
        foreach (int fd in fds) _api.Close(fd);
        if (result < 0) throw new VfioException("VFIO_DEVICE_SET_IRQS (disable MSI-X)", _deviceName, -result);
    }

    /// <inheritdoc/>
    public bool TryConsume(int vector)
    {
        int fd = FdOf(vector);
        ulong counter;
        long read = _api.Read(fd, &counter, sizeof(ulong));
        if (read == sizeof(ulong)) return counter != 0;
        if (read == -Errno.EAGAIN) return false;
        if (read < 0) throw new VfioException("read of the eventfd of MSI-X vector " + vector, _deviceName, (int)-read);
        throw new VfioException("read", _deviceName, "read of the eventfd of MSI-X vector " + vector + " returned " + read + " bytes instead of 8");
    }

    /// <inheritdoc/>
    public bool Wait(int vector, TimeSpan timeout)
    {
        int fd = FdOf(vector);
        bool infinite = timeout == System.Threading.Timeout.InfiniteTimeSpan;
        if (!infinite) ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            if (TryConsume(vector)) return true;
            int milliseconds;
            if (infinite)
            {
                milliseconds = -1;
            }
            else
            {
                TimeSpan remaining = timeout - Stopwatch.GetElapsedTime(start);
                if (remaining <= TimeSpan.Zero) return false;
                milliseconds = (int)Math.Min(int.MaxValue, Math.Ceiling(remaining.TotalMilliseconds));
            }

            int result = _api.PollIn(fd, milliseconds);
            if (result == -Errno.EINTR || result > 0) continue;
            if (result == 0) return TryConsume(vector);
            throw new VfioException("poll of the eventfd of MSI-X vector " + vector, _deviceName, -result);
        }
    }

    /// <summary>Disables the vectors and closes the eventfds (part of the PCI function's disposal).</summary>
    internal void Close() => Disable();

    private int FdOf(int vector)
    {
        var fds = _eventFds;
        if ((uint)vector >= (uint)fds.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(vector), vector, fds.Length == 0
                ? "MSI-X is not enabled on " + _deviceName + "; call Enable first"
                : _deviceName + " has vectors 0-" + (fds.Length - 1) + " enabled");
        }

        return fds[vector];
    }
}

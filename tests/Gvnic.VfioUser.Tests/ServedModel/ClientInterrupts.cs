using System;
using Gvnic.Platform;
using Gvnic.VfioUser.Interop;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Tests.ServedModel;

/// <summary>
/// MSI-X as a vfio-user client sets it up: the enable bit in the capability's message control, then one eventfd per
/// vector with SET_IRQS; a fired vector is a readable eventfd.
/// </summary>
internal sealed class ClientInterrupts(VfioUserPciFunction function, int vectors) : IInterruptController, IDisposable
{
    private const uint EventFdTrigger = 4 | 32, NoneTrigger = 1 | 32, MsixIndex = 2;
    private const ulong MessageControl = 0x42; // MSI-X capability at 0x40
    private int[] _fds = [];

    public int VectorCount => vectors;

    public void Enable(int count)
    {
        if (_fds.Length > 0) Disable();
        function.Request(Command.RegionWrite, Messages.RegionWrite(7, MessageControl + 1, [0x80])); // MSI-X enable (bit 15)
        var fds = new int[count];
        for (int i = 0; i < count; i++)
        {
            fds[i] = Posix.EventFd();
            Assert.True(fds[i] >= 0);
        }

        Received reply = function.Request(Command.DeviceSetIrqs, Messages.IrqSet(EventFdTrigger, MsixIndex, 0, (uint)count), fds);
        Assert.False(reply.IsError, $"SET_IRQS refused: errno {reply.Errno}");
        _fds = fds;
    }

    public void Disable()
    {
        function.Request(Command.DeviceSetIrqs, Messages.IrqSet(NoneTrigger, MsixIndex, 0, 0));
        function.Request(Command.RegionWrite, Messages.RegionWrite(7, MessageControl + 1, [0x00]));
        foreach (int fd in _fds) Posix.Close(fd);
        _fds = [];
    }

    /// <summary>Interrupts taken from the eventfds so far.</summary>
    public long Taken { get; private set; }

    public bool TryConsume(int vector)
    {
        if ((uint)vector >= (uint)_fds.Length) return false;
        long n = Posix.EventFdTake(_fds[vector]);
        Taken += Math.Max(0, n);
        return n > 0;
    }

    public bool Wait(int vector, TimeSpan timeout)
    {
        if ((uint)vector >= (uint)_fds.Length) return false;
        if (Posix.WaitReadable(_fds[vector], (int)Math.Ceiling(timeout.TotalMilliseconds)) <= 0) return false;
        return TryConsume(vector);
    }

    public void Dispose()
    {
        foreach (int fd in _fds) Posix.Close(fd);
        _fds = [];
    }
}

using System;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>
/// DEVICE_GET_IRQ_INFO and DEVICE_SET_IRQS. The function has MSI-X only (no INTx pin, no MSI capability, no error
/// or request notifiers): the other types report 0 interrupts. MSI-X vectors take eventfds one range at a time
/// (not NORESIZE: QEMU then enables vectors as the guest unmasks them), can be triggered by the client, and are not
/// maskable through the protocol (the client masks in the table it emulates), as Linux's vfio-pci reports them.
/// </summary>
internal sealed partial class RequestHandler
{
    private const uint DataNone = 1, DataBool = 2, DataEventFd = 4, ActionMask = 8, ActionUnmask = 16, ActionTrigger = 32;

    private int IrqInfo(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (body.Length < Wire.IrqInfo.Size) throw Short(body, Wire.IrqInfo.Size, "DEVICE_GET_IRQ_INFO");
        Wire.IrqInfo request = Wire.IrqInfo.Read(body);
        if (request.Argsz < Wire.IrqInfo.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"argsz {request.Argsz} is less than the {Wire.IrqInfo.Size}-byte reply");
        if (request.Index >= IrqCount)
            throw new RequestRefusedException(Errno.EINVAL, $"interrupt type {request.Index}; a PCI device has types 0 to {IrqCount - 1}");
        bool msix = request.Index == (uint)IrqIndex.Msix;
        var info = new Wire.IrqInfo
        {
            Argsz = Wire.IrqInfo.Size,
            Index = request.Index,
            Count = msix ? (uint)_server.Interrupts.Count : 0,
            Eventfd = msix,
        };
        info.Write(reply);
        return Wire.IrqInfo.Size;
    }

    private int SetIrqs(InboundMessage message)
    {
        ReadOnlySpan<byte> body = message.Body;
        if (body.Length < Wire.IrqSet.Size) throw Short(body, Wire.IrqSet.Size, "DEVICE_SET_IRQS");
        Wire.IrqSet set = Wire.IrqSet.Read(body);
        uint data = set.Flags & (DataNone | DataBool | DataEventFd);
        uint action = set.Flags & (ActionMask | ActionUnmask | ActionTrigger);
        if ((set.Flags & ~0x3Fu) != 0 || !IsOneBit(data) || !IsOneBit(action))
            throw new RequestRefusedException(Errno.EINVAL, $"flags 0x{set.Flags:X}: exactly one DATA flag (bits 0-2) and one ACTION flag (bits 3-5)");
        if (set.Index >= IrqCount)
            throw new RequestRefusedException(Errno.EINVAL, $"interrupt type {set.Index}; a PCI device has types 0 to {IrqCount - 1}");
        if (data != DataEventFd && message.FdCount != 0)
            throw new RequestRefusedException(Errno.EINVAL, "file descriptors came without DATA_EVENTFD");
        ReadOnlySpan<byte> bools = body[Wire.IrqSet.Size..];
        if (data == DataBool ? (ulong)bools.Length != set.Count : !bools.IsEmpty)
            throw new RequestRefusedException(Errno.EINVAL, $"{bools.Length} bytes of data after the structure; {(data == DataBool ? $"DATA_BOOL takes count ({set.Count})" : "only DATA_BOOL takes any")}");

        // count 0 with DATA_NONE: disable every interrupt of the type.
        if (set.Count == 0 && data == DataNone)
        {
            if (set.Start != 0) throw new RequestRefusedException(Errno.EINVAL, "disabling a type (count 0) with a start other than 0");
            if (set.Index == (uint)IrqIndex.Msix) _server.Interrupts.UnassignAll();
            return 0;
        }

        if (set.Index != (uint)IrqIndex.Msix)
            throw new RequestRefusedException(Errno.EINVAL, $"interrupt type {set.Index} has no interrupts on this device (MSI-X only)");
        int vectors = _server.Interrupts.Count;
        if (set.Count == 0 || set.Start >= (uint)vectors || set.Count > (uint)vectors - set.Start)
            throw new RequestRefusedException(Errno.EINVAL, $"vectors {set.Start}..{(long)set.Start + set.Count - 1}; MSI-X has 0 to {vectors - 1}");
        if (action != ActionTrigger)
            throw new RequestRefusedException(Errno.EINVAL, "MSI-X vectors are not maskable through the protocol (the client masks in its table)");

        int start = (int)set.Start, count = (int)set.Count;
        switch (data)
        {
            case DataEventFd when message.FdCount == 0:
                _server.Interrupts.Unassign(start, count);
                break;
            case DataEventFd:
                if (message.FdCount != count)
                    throw new RequestRefusedException(Errno.EINVAL, $"{message.FdCount} eventfds for {count} vectors");
                Span<int> fds = stackalloc int[count];
                for (int i = 0; i < count; i++) fds[i] = message.TakeFd(i);
                _server.Interrupts.Assign(start, fds);
                break;
            case DataNone:
                for (int v = start; v < start + count; v++) _server.Interrupts.Raise(v);
                break;
            default:
                for (int i = 0; i < count; i++)
                    if (bools[i] != 0) _server.Interrupts.Raise(start + i);
                break;
        }

        return 0;
    }

    private static bool IsOneBit(uint value) => value != 0 && (value & (value - 1)) == 0;
}

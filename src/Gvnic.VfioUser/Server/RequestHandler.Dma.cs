using System;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>DMA_MAP and DMA_UNMAP.</summary>
internal sealed partial class RequestHandler
{
    private const ulong PageMask = 0xFFF;

    private int DmaMap(InboundMessage message)
    {
        ReadOnlySpan<byte> body = message.Body;
        if (body.Length != Wire.DmaMap.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"DMA_MAP payload of {body.Length} bytes; it is {Wire.DmaMap.Size}");
        Wire.DmaMap map = Wire.DmaMap.Read(body);
        if (map.Argsz < Wire.DmaMap.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"argsz {map.Argsz} is less than the {Wire.DmaMap.Size}-byte structure");
        if ((map.Flags & ~3u) != 0)
            throw new RequestRefusedException(Errno.EINVAL, $"flags 0x{map.Flags:X}: only readable (bit 0) and writeable (bit 1) are defined");
        if (message.FdCount > 1)
            throw new RequestRefusedException(Errno.EINVAL, $"{message.FdCount} file descriptors; a mapping takes one or none");
        if (((map.Address | map.RangeSize) & PageMask) != 0 || (message.FdCount == 1 && (map.Offset & PageMask) != 0))
            throw new RequestRefusedException(Errno.EINVAL, $"0x{map.Address:X}+0x{map.RangeSize:X} (file offset 0x{map.Offset:X}) is not aligned to the 4 KiB page size agreed");
        if (map.Offset > long.MaxValue)
            throw new RequestRefusedException(Errno.EINVAL, $"file offset 0x{map.Offset:X} is out of range");

        int fd = message.FdCount == 1 ? message.TakeFd(0) : -1;
        int result = _server.Memory.Map(map.Address, map.RangeSize, map.Readable, map.Writeable, fd, (long)map.Offset, MaxDmaMappings, out string detail);
        if (result < 0) throw new RequestRefusedException(-result, $"cannot map 0x{map.Address:X}+0x{map.RangeSize:X}: {detail}");
        _server.Statistics.DmaMap();
        return 0;
    }

    private int MaxDmaMappings => Math.Min(_server.Options.MaxDmaMappings, (int)Math.Min(int.MaxValue, (long)(_client?.MaxDmaMaps ?? 65535u)));

    private int DmaUnmap(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (body.Length != Wire.DmaUnmap.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"DMA_UNMAP payload of {body.Length} bytes; it is {Wire.DmaUnmap.Size}");
        Wire.DmaUnmap unmap = Wire.DmaUnmap.Read(body);
        if (unmap.GetDirtyBitmap || unmap.Vaddr)
            throw new RequestRefusedException(Errno.ENOTSUP, "dirty bitmaps and virtual-address updates are not supported");
        if ((unmap.Flags & ~7u) != 0)
            throw new RequestRefusedException(Errno.EINVAL, $"flags 0x{unmap.Flags:X}: only get-dirty-bitmap (0), all (1) and vaddr (2) are defined");
        if (unmap.All)
        {
            if (unmap.Address != 0 || unmap.RangeSize != 0)
                throw new RequestRefusedException(Errno.EINVAL, "unmap-all with an address or size");
            _server.Memory.UnmapAll();
        }
        else
        {
            int result = _server.Memory.Unmap(unmap.Address, unmap.RangeSize, out int removed, out string detail);
            if (result < 0) throw new RequestRefusedException(-result, detail);
            for (int i = 0; i < removed; i++) _server.Statistics.DmaUnmap();
        }

        // The reply carries the original entry.
        body.CopyTo(reply);
        return Wire.DmaUnmap.Size;
    }
}

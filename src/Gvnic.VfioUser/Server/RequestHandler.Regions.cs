using System;
using Gvnic.VfioUser.Pci;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>DEVICE_GET_REGION_INFO, REGION_READ, REGION_WRITE and REGION_WRITE_MULTI.</summary>
internal sealed partial class RequestHandler
{
    private int RegionInfo(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (body.Length < Wire.RegionInfo.Size) throw Short(body, Wire.RegionInfo.Size, "DEVICE_GET_REGION_INFO");
        Wire.RegionInfo request = Wire.RegionInfo.Read(body);
        if (request.Argsz < Wire.RegionInfo.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"argsz {request.Argsz} is less than the {Wire.RegionInfo.Size}-byte reply");
        if (request.Index >= RegionCount)
            throw new RequestRefusedException(Errno.EINVAL, $"region {request.Index}; a PCI device has regions 0 to {RegionCount - 1}");
        ulong size = RegionSize(request.Index);
        var info = new Wire.RegionInfo
        {
            Argsz = Wire.RegionInfo.Size,
            Index = request.Index,
            RegionSize = size,
            // As the kernel's vfio-pci: index << 40. Nothing is mappable, so no one mmaps at it.
            Offset = (ulong)request.Index << 40,
            Readable = size != 0,
            Writable = size != 0,
        };
        info.Write(reply);
        return Wire.RegionInfo.Size;
    }

    private ulong RegionSize(uint index) => index switch
    {
        <= 5 => _server.Function.BarSize((int)index),
        (uint)RegionIndex.Config => PciConstants.ConfigSpaceSize,
        _ => 0, // no expansion ROM, no VGA
    };

    private int RegionRead(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (body.Length != RegionAccess.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"REGION_READ payload of {body.Length} bytes; it is {RegionAccess.Size}");
        RegionAccess access = RegionAccess.Read(body);
        CheckAccess(access.Region, access.Offset, access.Count);
        Span<byte> data = reply.Slice(RegionAccess.Size, (int)access.Count);
        Read(access.Region, access.Offset, data);
        access.Write(reply);
        _server.Statistics.RegionRead();
        return RegionAccess.Size + data.Length;
    }

    private int RegionWrite(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (body.Length < RegionAccess.Size) throw Short(body, RegionAccess.Size, "REGION_WRITE");
        RegionAccess access = RegionAccess.Read(body);
        if ((ulong)body.Length != RegionAccess.Size + (ulong)access.Count)
            throw new RequestRefusedException(Errno.EINVAL, $"REGION_WRITE of {access.Count} bytes with {body.Length - RegionAccess.Size} bytes of data");
        CheckAccess(access.Region, access.Offset, access.Count);
        Write(access.Region, access.Offset, body.Slice(RegionAccess.Size, (int)access.Count));
        access.Write(reply);
        return RegionAccess.Size;
    }

    private int RegionWriteMulti(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (_client?.WriteMultiple is not true)
            throw new RequestRefusedException(Errno.EINVAL, "REGION_WRITE_MULTI without write_multiple agreed in VERSION");
        if (body.Length < WriteMulti.Size) throw Short(body, WriteMulti.Size, "REGION_WRITE_MULTI");
        ulong count = WriteMulti.Read(body).WrCnt;
        if (count == 0 || count > VfioUserConstants.WriteMultiMax)
            throw new RequestRefusedException(Errno.EINVAL, $"wr_cnt {count}; one message holds 1 to {VfioUserConstants.WriteMultiMax} writes");
        if ((ulong)body.Length != WriteMulti.Size + count * WriteMultiEntry.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"{count} writes take {WriteMulti.Size + count * WriteMultiEntry.Size} bytes, the payload has {body.Length}");
        // Every entry is checked before the first is done, so a bad message changes nothing.
        for (int i = 0; i < (int)count; i++)
        {
            WriteMultiEntry entry = WriteMultiEntry.Read(body.Slice(WriteMulti.Size + i * WriteMultiEntry.Size));
            if (entry.Count is 0 or > VfioUserConstants.WriteMultiData)
                throw new RequestRefusedException(Errno.EINVAL, $"write {i} of {entry.Count} bytes; an entry carries 1 to {VfioUserConstants.WriteMultiData}");
            CheckAccess(entry.Region, entry.Offset, entry.Count);
        }

        for (int i = 0; i < (int)count; i++)
        {
            ReadOnlySpan<byte> raw = body.Slice(WriteMulti.Size + i * WriteMultiEntry.Size, WriteMultiEntry.Size);
            WriteMultiEntry entry = WriteMultiEntry.Read(raw);
            Write(entry.Region, entry.Offset, raw.Slice(WriteMultiEntry.Offsets.Data, (int)entry.Count));
        }

        new WriteMulti { WrCnt = count }.Write(reply);
        return WriteMulti.Size;
    }

    private void CheckAccess(uint region, ulong offset, uint count)
    {
        if (region >= RegionCount)
            throw new RequestRefusedException(Errno.EINVAL, $"region {region}; a PCI device has regions 0 to {RegionCount - 1}");
        ulong size = RegionSize(region);
        if (size == 0)
            throw new RequestRefusedException(Errno.EINVAL, $"region {region} ({RegionName(region)}) does not exist on this device");
        if (count == 0)
            throw new RequestRefusedException(Errno.EINVAL, "an access of 0 bytes");
        if (count > _server.Options.MaxDataTransferSize)
            throw new RequestRefusedException(Errno.E2BIG, $"an access of {count} bytes, more than max_data_xfer_size {_server.Options.MaxDataTransferSize}");
        if (offset >= size || count > size - offset)
            throw new RequestRefusedException(Errno.EINVAL, $"{count} bytes at 0x{offset:X} leave {RegionName(region)} ({size} bytes)");
    }

    private void Write(uint region, ulong offset, ReadOnlySpan<byte> data)
    {
        if (region == (uint)RegionIndex.Config) _server.Config.Write((int)offset, data);
        else if (region == (uint)_server.Function.MsixBar) _server.MsixBar.Write(offset, data);
        else DeviceWrite(region, offset, data);
        _server.Statistics.RegionWrite();
    }

    private void Read(uint region, ulong offset, Span<byte> data)
    {
        if (region == (uint)RegionIndex.Config) _server.Config.Read((int)offset, data);
        else if (region == (uint)_server.Function.MsixBar) _server.MsixBar.Read(offset, data);
        else DeviceRead(region, offset, data);
    }

    private void DeviceRead(uint region, ulong offset, Span<byte> data)
    {
        try
        {
            _server.Device.ReadBar((int)region, offset, data);
        }
        catch (Exception e)
        {
            throw DeviceFailed(region, offset, data.Length, "read", e);
        }
    }

    private void DeviceWrite(uint region, ulong offset, ReadOnlySpan<byte> data)
    {
        try
        {
            _server.Device.WriteBar((int)region, offset, data);
        }
        catch (Exception e)
        {
            throw DeviceFailed(region, offset, data.Length, "write", e);
        }
    }

    private RequestRefusedException DeviceFailed(uint region, ulong offset, int length, string what, Exception e)
    {
        _server.Statistics.DeviceException();
        return new RequestRefusedException(Errno.EIO, $"the device failed the {length}-byte {what} at 0x{offset:X} of {RegionName(region)}: {e.GetType().Name}: {e.Message}");
    }

    private static string RegionName(uint region) => region switch
    {
        <= 5 => "BAR" + region,
        (uint)RegionIndex.Rom => "the expansion ROM",
        (uint)RegionIndex.Config => "configuration space",
        (uint)RegionIndex.Vga => "the VGA region",
        _ => "region " + region,
    };
}

using Gvnic.Wire;

namespace Gvnic.Platform.Tracing;

/// <summary>A BAR that records every access: a store is recorded before it reaches the device, a load after it returns.</summary>
internal sealed class TracedMmioRegion(IMmioRegion inner, PciTraceRecorder recorder, int bar) : IMmioRegion
{
    public byte Read8(long offset)
    {
        byte value = inner.Read8(offset);
        recorder.Read(bar, offset, 1, value);
        return value;
    }

    public void Write8(long offset, byte value)
    {
        recorder.Write(bar, offset, 1, value);
        inner.Write8(offset, value);
    }

    public ushort Read16(long offset)
    {
        ushort value = inner.Read16(offset);
        recorder.Read(bar, offset, 2, value);
        return value;
    }

    public void Write16(long offset, ushort value)
    {
        recorder.Write(bar, offset, 2, value);
        inner.Write16(offset, value);
    }

    public uint Read32(long offset)
    {
        uint value = inner.Read32(offset);
        recorder.Read(bar, offset, 4, value);
        return value;
    }

    public void Write32(long offset, uint value)
    {
        recorder.Write(bar, offset, 4, value);
        inner.Write32(offset, value);
    }

    public ulong Read64(long offset)
    {
        ulong value = inner.Read64(offset);
        recorder.Read(bar, offset, 8, value);
        return value;
    }

    public void Write64(long offset, ulong value)
    {
        recorder.Write(bar, offset, 8, value);
        inner.Write64(offset, value);
    }
}

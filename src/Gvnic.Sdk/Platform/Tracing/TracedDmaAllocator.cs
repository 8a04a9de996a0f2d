namespace Gvnic.Platform.Tracing;

/// <summary>An allocator that records each region it hands out and takes back, so addresses can be named by region.</summary>
internal sealed class TracedDmaAllocator(IDmaAllocator inner, PciTraceRecorder recorder) : IDmaAllocator
{
    public int OutstandingRegions => inner.OutstandingRegions;

    public long OutstandingBytes => inner.OutstandingBytes;

    public DmaRegion Allocate(int length, int alignment = 4096)
    {
        DmaRegion region = inner.Allocate(length, alignment);
        recorder.Allocated(region, alignment);
        return region;
    }

    public void Free(DmaRegion region)
    {
        recorder.Freeing(region);
        inner.Free(region);
    }
}

using System;
using System.IO;
using Gvnic.Wire;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// A PCI function that records everything a driver does to it as a trace (docs/trace.md): JSON lines with a relative
/// time, BAR reads and writes named through the generated register tables, doorbells named by their queue or
/// notification block, admin commands and the device's answers decoded through the generated catalog, DMA regions,
/// bus mastering and MSI-X. It wraps any <see cref="IPciFunction"/> (the device model, VFIO, a test double), so two runs
/// of one scenario on different platforms give traces that compare (<see cref="TraceComparer"/>): DMA addresses are
/// written relative to the trace's own numbering of regions, and values that belong to one run are marked.
/// </summary>
/// <remarks>
/// Hand the driver this object instead of the function it wraps. <see cref="Dispose"/> ends the trace (the <c>end</c>
/// record) and closes the output stream; the wrapped function stays open, as its owner opened it.
/// </remarks>
public sealed class TracingPciFunction : IPciFunction
{
    private readonly PciTraceRecorder _recorder;

    /// <summary>Starts a trace of <paramref name="inner"/> into <paramref name="output"/> (which the trace then owns): writes the header.</summary>
    /// <param name="inner">The function the driver really uses.</param>
    /// <param name="output">Where the JSON lines go (a file, usually).</param>
    /// <param name="options">What to record; null for the defaults.</param>
    public TracingPciFunction(IPciFunction inner, Stream output, PciTraceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new PciTraceOptions();
        Inner = inner;
        Options = options;
        _recorder = new PciTraceRecorder(output, options);
        _recorder.WriteHeader(inner, options);
        Bar0 = new TracedMmioRegion(inner.Bar0, _recorder, 0);
        Bar2 = new TracedMmioRegion(inner.Bar2, _recorder, 2);
        Dma = new TracedDmaAllocator(inner.Dma, _recorder);
        Interrupts = new TracedInterruptController(inner.Interrupts, _recorder);
    }

    /// <summary>The function being traced.</summary>
    public IPciFunction Inner { get; }

    /// <summary>What is recorded.</summary>
    public PciTraceOptions Options { get; }

    /// <summary>Events written so far (the header is not an event).</summary>
    public long EventCount => _recorder.Count;

    /// <inheritdoc/>
    public string Address => Inner.Address;

    /// <inheritdoc/>
    public ushort VendorId => Inner.VendorId;

    /// <inheritdoc/>
    public ushort DeviceId => Inner.DeviceId;

    /// <inheritdoc/>
    public byte RevisionId => Inner.RevisionId;

    /// <inheritdoc/>
    public IMmioRegion Bar0 { get; }

    /// <inheritdoc/>
    public IMmioRegion Bar2 { get; }

    /// <inheritdoc/>
    public long Bar2Length => Inner.Bar2Length;

    /// <inheritdoc/>
    public IDmaAllocator Dma { get; }

    /// <inheritdoc/>
    public IInterruptController Interrupts { get; }

    /// <inheritdoc/>
    public void EnableBusMaster()
    {
        _recorder.BusMaster(true);
        Inner.EnableBusMaster();
    }

    /// <inheritdoc/>
    public void DisableBusMaster()
    {
        _recorder.BusMaster(false);
        Inner.DisableBusMaster();
    }

    /// <summary>Ends the trace and closes its stream; accesses after this reach the function unrecorded. The wrapped function stays open.</summary>
    public void Dispose() => _recorder.Finish();

    /// <inheritdoc/>
    public override string ToString() => Inner + " (traced)";
}

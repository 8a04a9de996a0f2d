using System;
using Gvnic.Simulator.Faults;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// All a queue sees of the device: DMA into driver memory, the notification blocks, the violation log, the event-counter
/// array, the wire, the frame limit (MTU) and link, the RSS hash, the configuration and the fault hooks. Queues call
/// nothing else, so the device behind this (today <c>DataPath</c>) can change how it does DMA, raises interrupts or
/// writes completions without touching a queue. Called with the device lock held.
/// </summary>
internal interface IQueueHost
{
    /// <summary>The device's configuration (DQO seeds and windows, manual-mode limits).</summary>
    SimulatedDeviceConfig Config { get; }

    /// <summary>The fault hooks the queues call just after writing an entry into driver memory.</summary>
    FaultInjector Faults { get; }

    /// <summary>Whether doorbells run their work at once (<see cref="ExecutionMode.Synchronous"/>).</summary>
    bool Synchronous { get; }

    /// <summary>The MTU in force.</summary>
    int Mtu { get; }

    /// <summary>Whether the link is up.</summary>
    bool LinkUp { get; }

    /// <summary>
    /// The device's view of <paramref name="length"/> bytes of driver memory at <paramref name="address"/>; on failure
    /// (bus mastering off, memory the driver does not own) a violation naming <paramref name="queue"/>,
    /// <paramref name="index"/> and <paramref name="what"/> is recorded and nothing is touched.
    /// </summary>
    bool TryDma(ulong address, long length, int queue, long index, scoped in DmaWhat what, out Span<byte> span);

    /// <summary>Records a protocol violation.</summary>
    void Violate(ViolationKind kind, int queue, long index, string detail);

    /// <summary>Work completed for a queue bound to notification block <paramref name="block"/>.</summary>
    void Notify(uint block);

    /// <summary>Writes event counter <paramref name="index"/> (GQI TX completion).</summary>
    void WriteEventCounter(uint index, uint value, int queue);

    /// <summary>Hands a finished frame from TX queue <paramref name="queue"/> to the wire (after the device lock is released).</summary>
    void Transmit(byte[] frame, int queue);

    /// <summary>A frame buffer of exactly <paramref name="length"/> bytes from the device's pool (contents undefined: overwrite it all).</summary>
    byte[] RentFrame(int length);

    /// <summary>Gives a frame buffer back to the device's pool; nothing may use it afterwards.</summary>
    void ReturnFrame(byte[] frame);

    /// <summary>
    /// DMA that records nothing: true with the span when bus mastering is on and the whole range lies in one live region
    /// (every access inside it would then succeed); false otherwise, and the caller goes access by access through
    /// <see cref="TryDma"/>, which records what fails.
    /// </summary>
    bool TryDmaQuiet(ulong address, long length, out Span<byte> span);

    /// <summary>The RSS hash the device reports for <paramref name="arrival"/>'s frame (the one steering computed, while the configuration it was computed under holds).</summary>
    uint RssHash(in RxArrival arrival);

    /// <summary>The NIC clock now, in nanoseconds (what REPORT_NIC_TIMESTAMP reports and DQO RX completions carry).</summary>
    ulong NicNanoseconds { get; }
}

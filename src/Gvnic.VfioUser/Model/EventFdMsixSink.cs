using System.Threading;
using Gvnic.Simulator;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Pci;

namespace Gvnic.VfioUser.Model;

/// <summary>
/// The device model's MSI-X port (<see cref="IMsixSink"/>) over the client's eventfds (<see cref="MsixInterrupts"/>):
/// with MSI-X enabled in configuration space a vector's message goes to its eventfd, or waits in the pending-bit array
/// until the client assigns one; with MSI-X disabled it is lost (the function has no INTx pin to fall back to).
/// </summary>
internal sealed class EventFdMsixSink : IMsixSink
{
    private volatile DeviceContext? _context;
    private long _lost;

    /// <summary>The vectors and configuration space to use (the server hands them over when it attaches the device).</summary>
    public void Attach(DeviceContext context) => _context = context;

    /// <summary>Messages lost because MSI-X was disabled or the vector does not exist.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Whether <paramref name="vector"/> exists, MSI-X is enabled and the client has given the vector an eventfd.</summary>
    public bool IsEnabled(int vector)
    {
        DeviceContext? context = _context;
        return context is not null && (uint)vector < (uint)context.Interrupts.Count && context.Config.MsixEnabled && context.Interrupts.IsAssigned(vector);
    }

    /// <inheritdoc/>
    public bool Raise(int vector)
    {
        DeviceContext? context = _context;
        if (context is null || (uint)vector >= (uint)context.Interrupts.Count || !context.Config.MsixEnabled)
        {
            Interlocked.Increment(ref _lost);
            return false;
        }

        // Delivered to the eventfd, or pending until the client gives the vector one: not lost either way.
        context.Interrupts.Raise(vector);
        return true;
    }
}

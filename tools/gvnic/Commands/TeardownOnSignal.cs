using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Gvnic.Cli.Commands;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM while <c>gvnic up</c> owns a real device: the first signal cancels <see cref="Token"/>,
/// so the scenario stops and the NIC is torn down on the main thread (queues destroyed, DMA memory unmapped) before
/// the process exits; a second one stops the device's DMA at once (<see cref="EmergencyStop"/>: bus mastering off)
/// and lets the process die.
/// </summary>
internal sealed class TeardownOnSignal : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly TextWriter _error;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    /// <summary>Reports to <paramref name="error"/>; registers for SIGINT and SIGTERM when <paramref name="register"/> (tests call <see cref="OnSignal"/> directly).</summary>
    public TeardownOnSignal(TextWriter error, bool register = true)
    {
        _error = error;
        if (!register) return;
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The first signal's name (<c>SIGINT</c>, <c>SIGTERM</c>), or null.</summary>
    public string? Signal { get; private set; }

    /// <summary>What a second signal does before the process dies: turn the device's DMA off.</summary>
    public Action? EmergencyStop { get; set; }

    /// <summary>Handles one signal; returns true when the process must not terminate (the first signal).</summary>
    public bool OnSignal(string name)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Signal = name;
            _error.WriteLine("gvnic: " + name + ": stopping; the gVNIC is being torn down (queues destroyed, DMA memory returned). Send it again to exit at once.");
            _cancel.Cancel();
            return true;
        }

        _error.WriteLine("gvnic: " + name + " again: turning the device's bus mastering off and exiting without teardown");
        try
        {
            EmergencyStop?.Invoke();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or ArgumentException)
        {
            _error.WriteLine("gvnic: could not turn bus mastering off: " + e.Message);
        }

        return false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _registrations.Clear();
        _cancel.Dispose();
    }

    private void Handle(PosixSignalContext context) => context.Cancel = OnSignal(context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM");
}

using System;

namespace Gvnic.Platform;

/// <summary>The MSI-X vectors of a PCI function, as a driver waits on them.</summary>
public interface IInterruptController
{
    /// <summary>How many MSI-X vectors the function offers.</summary>
    int VectorCount { get; }

    /// <summary>Enables vectors 0 … <paramref name="count"/> − 1.</summary>
    void Enable(int count);

    /// <summary>Disables every vector.</summary>
    void Disable();

    /// <summary>Whether <paramref name="vector"/> fired since the last call; clears the pending state.</summary>
    bool TryConsume(int vector);

    /// <summary>Waits until <paramref name="vector"/> fires or <paramref name="timeout"/> passes; true when it fired (the pending state is cleared).</summary>
    bool Wait(int vector, TimeSpan timeout);
}

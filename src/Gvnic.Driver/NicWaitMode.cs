namespace Gvnic.Driver;

/// <summary>How the driver waits for traffic.</summary>
public enum NicWaitMode
{
    /// <summary>The caller polls; waits spin and sleep briefly.</summary>
    Polling,

    /// <summary>Waits block on the queue's notification-block MSI-X vector.</summary>
    Interrupts,
}

namespace Gvnic.Fuzz.Tests;

/// <summary>What one step of a case's traffic script does.</summary>
internal enum StepKind
{
    /// <summary>The driver sends a frame on a TX queue (and reclaims).</summary>
    Send,

    /// <summary>The wire hands the device a frame for an RX queue; the driver drains every RX queue.</summary>
    Receive,

    /// <summary>The device model switches a fault on.</summary>
    Fault,

    /// <summary>The driver sends several frames behind one doorbell (<see cref="Gvnic.Driver.Nic.TransmitBatch"/>) on a TX queue (and reclaims).</summary>
    SendBatch,

    /// <summary>
    /// While the driver is inside a call on a queue (a TX doorbell of <see cref="Gvnic.Driver.Nic.Transmit"/>, a clock read of
    /// <see cref="Gvnic.Driver.Nic.WaitForReceive"/>), another call on the same queue, from this thread or another: it
    /// must be refused (issue 15, class 8).
    /// </summary>
    Contend,

    /// <summary>
    /// RX steering: the driver configures RSS (a key and a table over the RX queues) and reads it back, adds a flow rule,
    /// reads the rules back and deletes it. Hostile RSS_CONFIG or FLOW_STEERING values must be refused naming the field.
    /// </summary>
    Steer,
}

namespace Gvnic.Simulator;

/// <summary>Which way a frame crossed, seen from the endpoint named in the record.</summary>
public enum FrameDirection
{
    /// <summary>The endpoint sent the frame onto the wire.</summary>
    Transmit,
    /// <summary>The wire carried the frame to the endpoint.</summary>
    Receive,
}

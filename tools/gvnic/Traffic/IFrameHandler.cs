using System;
using Gvnic.Driver;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// What a worker does with each received frame. Implemented by structs and passed by reference to
/// <see cref="TrafficPort.Receive{THandler}"/>, so the call is specialised and nothing is boxed or allocated.
/// </summary>
internal interface IFrameHandler
{
    /// <summary>Handles one frame, valid only during the call (it lies in the driver's RX buffer).</summary>
    void OnFrame(ReadOnlySpan<byte> frame, in RxInfo info);
}

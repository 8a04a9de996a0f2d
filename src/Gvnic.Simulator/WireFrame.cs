using System;

namespace Gvnic.Simulator;

/// <summary>One frame that crossed a wire, for assertions and capture files.</summary>
/// <param name="Sequence">Order of crossing on this wire, from 1.</param>
/// <param name="Timestamp">When it crossed (UTC, by the wire's <see cref="VirtualWire.Clock"/>).</param>
/// <param name="Endpoint">The endpoint that sent (Transmit) or got (Receive) it.</param>
/// <param name="Direction">Which way it went, seen from <paramref name="Endpoint"/>.</param>
/// <param name="Queue">The TX queue it left from or the RX queue it went to (-1 when none).</param>
/// <param name="Data">The frame bytes (Ethernet header first, no FCS).</param>
/// <param name="Outcome">For Receive: what the device did with it.</param>
public sealed record WireFrame(long Sequence, DateTime Timestamp, string Endpoint, FrameDirection Direction, int Queue, byte[] Data, RxOutcome? Outcome);

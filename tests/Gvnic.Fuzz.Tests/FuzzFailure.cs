using System;

namespace Gvnic.Fuzz.Tests;

/// <summary>A case broke an invariant (lost a frame silently, leaked memory, delivered a damaged frame, …).</summary>
internal sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);

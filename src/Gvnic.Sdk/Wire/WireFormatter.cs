using System;

namespace Gvnic.Wire;

/// <summary>Formats a struct's wire bytes with every field by name.</summary>
public delegate string WireFormatter(ReadOnlySpan<byte> bytes);

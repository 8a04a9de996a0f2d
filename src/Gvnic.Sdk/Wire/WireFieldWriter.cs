using System;

namespace Gvnic.Wire;

/// <summary>Stores a value at a field path in a struct's wire bytes.</summary>
public delegate WireSetResult WireFieldWriter(Span<byte> bytes, string path, ulong value);

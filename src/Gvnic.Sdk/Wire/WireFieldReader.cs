using System;

namespace Gvnic.Wire;

/// <summary>Reads the value at a field path out of a struct's wire bytes.</summary>
public delegate bool WireFieldReader(ReadOnlySpan<byte> bytes, string path, out ulong value);

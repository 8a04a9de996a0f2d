using System;
using System.Collections.Generic;

namespace Gvnic.Wire;

/// <summary>Validates a struct's wire bytes (see the generated <c>Validate</c> methods).</summary>
public delegate bool WireValidator(ReadOnlySpan<byte> bytes, ICollection<WireIssue>? issues);

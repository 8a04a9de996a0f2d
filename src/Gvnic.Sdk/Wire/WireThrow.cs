using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Gvnic.Wire;

/// <summary>Throw helpers of generated code, kept out of line so accessors stay small and inlinable.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WireThrow
{
    /// <summary>A span is shorter than the wire type.</summary>
    [DoesNotReturn]
    public static void TooShort(string parameter, string type, int size, int length)
        => throw new ArgumentException(type + " needs " + size + " bytes but the span has " + length, parameter);

    /// <summary>A value does not fit its bit range.</summary>
    [DoesNotReturn]
    public static void BitfieldRange(string type, string field, ulong value, int width)
        => throw new ArgumentOutOfRangeException(field, value, type + "." + field + " is " + width + " bits wide; the value does not fit");

    /// <summary>An array index is outside the array.</summary>
    [DoesNotReturn]
    public static void Index(string type, string field, int index, int length)
        => throw new ArgumentOutOfRangeException("index", index, type + "." + field + " has " + length + " elements");

    /// <summary>A trailing array's counter states more elements than the message holds or the schema allows.</summary>
    [DoesNotReturn]
    public static void CountBeyond(string type, string field, string counter, ulong count, long room)
        => throw new ArgumentException(type + "." + counter + " says " + count + " elements of " + field + ", but the message has room for " + room, "message");

    /// <summary>An element count a message cannot hold.</summary>
    [DoesNotReturn]
    public static void Count(string type, string field, int count, int max)
        => throw new ArgumentOutOfRangeException("count", count, type + "." + field + " holds 0 to " + max + " elements");
}

using System;

namespace Gvnic.Cli.Schema;

/// <summary>Checks for hex digits.</summary>
internal static class SpanHex
{
    /// <summary>Whether every char is 0-9, a-f or A-F.</summary>
    public static bool ContainsOnlyHex(this ReadOnlySpan<char> text)
    {
        foreach (char c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}

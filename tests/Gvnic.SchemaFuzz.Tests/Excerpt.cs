using System;
using System.Text;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>Short, printable excerpts of mutated texts for assertion messages.</summary>
internal static class Excerpt
{
    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters with control characters escaped.</summary>
    public static string Of(string text, int max)
    {
        var sb = new StringBuilder();
        foreach (char c in text.Length > max ? text.AsSpan(0, max) : text.AsSpan())
        {
            if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || char.IsSurrogate(c) || c == '\ufeff' || c == '\u2028' || c == '\u2029')
                sb.Append("\\u").Append(((int)c).ToString("x4"));
            else sb.Append(c);
        }
        if (text.Length > max) sb.Append("...(" + text.Length + " chars)");
        return sb.ToString();
    }

    /// <summary>Lines <paramref name="line"/>-2 .. +2 of <paramref name="text"/>, each cut to 160 characters.</summary>
    public static string Around(string text, int line)
    {
        var lines = text.Split('\n');
        int from = Math.Max(0, line - 3), to = Math.Min(lines.Length, line + 2);
        var sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.Append("\n      ").Append(i + 1).Append(": ").Append(Of(lines[i], 160));
        return sb.ToString();
    }
}

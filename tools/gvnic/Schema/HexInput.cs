using System;
using System.Collections.Generic;
using System.IO;

namespace Gvnic.Cli.Schema;

/// <summary>
/// Bytes typed on the command line: hex digits with optional spaces, colons, dashes, commas or <c>0x</c>
/// prefixes (<c>0010 0000</c>, <c>00:10:00:00</c>, <c>0x00 0x10</c>), or <c>@FILE</c> for a file of raw bytes.
/// </summary>
internal static class HexInput
{
    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="argument"/>.</summary>
    public static byte[] Parse(string text, string argument)
    {
        if (text.StartsWith('@'))
        {
            string path = text[1..];
            if (path.Length == 0) throw new UsageException(argument + " '@': no file name after '@'");
            if (Directory.Exists(path)) throw new UsageException(argument + " '" + text + "': " + path + " is a directory, not a file");
            if (!File.Exists(path)) throw new UsageException(argument + " '" + text + "': no such file " + path);
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException(argument + " '" + text + "': cannot read " + path + ": " + e.Message);
            }
        }
        var digits = new List<char>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n' or ':' or '-' or ',') continue;
            if (c == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X' && (i == 0 || !char.IsAsciiHexDigit(text[i - 1])))
            {
                i++;
                continue;
            }
            if (!char.IsAsciiHexDigit(c))
                throw new UsageException(argument + ": '" + c + "' at position " + (i + 1) + " is not a hex digit (give hex bytes such as 0a1b2c, or @FILE for a file of raw bytes)");
            digits.Add(c);
        }
        if (digits.Count == 0) throw new UsageException(argument + ": no hex digits (give hex bytes such as 0a1b2c, or @FILE for a file of raw bytes)");
        if (digits.Count % 2 != 0) throw new UsageException(argument + ": " + digits.Count + " hex digits is an odd number; every byte takes two");
        var bytes = new byte[digits.Count / 2];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(Convert.ToInt32(digits[2 * i].ToString(), 16) << 4 | Convert.ToInt32(digits[2 * i + 1].ToString(), 16));
        return bytes;
    }

    /// <summary>Lower-case hex, no separators.</summary>
    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}

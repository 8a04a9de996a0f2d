using System;
using System.Collections.Generic;
using System.Text;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>
/// Mutates the schema's UTF-8 bytes: bit flips, byte and range edits, truncation, tabs, NUL, invalid
/// UTF-8, BOMs, CR/CRLF line ends, very long lines, deep brackets and YAML indicators. One to four
/// mutations a case; each is described so a failure names what was done.
/// </summary>
internal static class ByteMutator
{
    private static readonly byte[][] Snippets =
    [
        "\t"u8.ToArray(), [0], [0xFF], [0xFE], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xEF, 0xBB, 0xBF], "\r"u8.ToArray(), "\r\n"u8.ToArray(), "\n"u8.ToArray(), [0xC2, 0x85], [0xE2, 0x80, 0xA8],
        ":"u8.ToArray(), ": "u8.ToArray(), "- "u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(),
        ","u8.ToArray(), "#"u8.ToArray(), "&a "u8.ToArray(), "*a"u8.ToArray(), "!!str "u8.ToArray(), "!<tag:x> "u8.ToArray(),
        "|"u8.ToArray(), ">"u8.ToArray(), "'"u8.ToArray(), "\""u8.ToArray(), "%YAML 1.2\n"u8.ToArray(), "---\n"u8.ToArray(),
        "...\n"u8.ToArray(), "? "u8.ToArray(), "@"u8.ToArray(), "`"u8.ToArray(), "\\"u8.ToArray(), "<<: *a"u8.ToArray(),
        "0x"u8.ToArray(), "99999999999999999999"u8.ToArray(), "-1"u8.ToArray(), "2147483648"u8.ToArray(), "    "u8.ToArray(),
        "\u00e9"u8.ToArray(), "\U0001F600"u8.ToArray(), "\u200b"u8.ToArray(),
    ];

    public static byte[] Mutate(byte[] input, Random rng, List<string> log)
    {
        var data = new List<byte>(input);
        int count = 1 + rng.Next(4);
        for (int i = 0; i < count; i++) MutateOnce(data, rng, log);
        return data.ToArray();
    }

    private static void MutateOnce(List<byte> d, Random rng, List<string> log)
    {
        int n = d.Count;
        int pos = n == 0 ? 0 : rng.Next(n);
        switch (rng.Next(20))
        {
            case 0:
                if (n == 0) goto default;
                int bit = rng.Next(8);
                d[pos] ^= (byte)(1 << bit);
                log.Add("flip bit " + bit + " of byte " + pos);
                break;
            case 1:
                if (n == 0) goto default;
                byte b = (byte)rng.Next(256);
                d[pos] = b;
                log.Add("set byte " + pos + " to 0x" + b.ToString("X2"));
                break;
            case 2:
            {
                var s = Snippets[rng.Next(Snippets.Length)];
                d.InsertRange(pos, s);
                log.Add("insert " + Show(s) + " at byte " + pos);
                break;
            }
            case 3:
            {
                if (n == 0) goto default;
                int len = Math.Min(n - pos, 1 + rng.Next(rng.Next(2) == 0 ? 4 : 400));
                d.RemoveRange(pos, len);
                log.Add("delete bytes " + pos + "+" + len);
                break;
            }
            case 4:
            {
                if (n == 0) goto default;
                int len = Math.Min(n - pos, 1 + rng.Next(rng.Next(2) == 0 ? 8 : 2000));
                int to = rng.Next(n + 1);
                var copy = d.GetRange(pos, len);
                d.InsertRange(to, copy);
                log.Add("duplicate bytes " + pos + "+" + len + " at " + to);
                break;
            }
            case 5:
                d.RemoveRange(pos, n - pos);
                log.Add("truncate at byte " + pos);
                break;
            case 6:
            {
                // Replace the indentation of a line with a tab.
                int start = LineStart(d, pos);
                int spaces = 0;
                while (start + spaces < d.Count && d[start + spaces] == (byte)' ') spaces++;
                if (spaces == 0) goto case 2;
                d.RemoveRange(start, spaces);
                d.Insert(start, (byte)'\t');
                log.Add("tab for " + spaces + " spaces of indentation at byte " + start);
                break;
            }
            case 7:
            {
                bool all = rng.Next(2) == 0;
                var eol = rng.Next(3) == 0 ? "\r"u8.ToArray() : "\r\n"u8.ToArray();
                int changed = 0;
                for (int i = d.Count - 1; i >= 0; i--)
                {
                    if (d[i] != (byte)'\n' || (!all && rng.Next(20) != 0)) continue;
                    d.RemoveAt(i);
                    d.InsertRange(i, eol);
                    changed++;
                }
                log.Add((all ? "all " : "some ") + changed + " line ends to " + Show(eol));
                break;
            }
            case 8:
            {
                int len = rng.Next(3) switch { 0 => 5_000, 1 => 100_000, _ => 1_000_000 };
                byte fill = "a #:-x0"u8[rng.Next(7)];
                var line = new byte[len];
                Array.Fill(line, fill);
                d.InsertRange(pos, line);
                log.Add("insert a line of " + len + " x " + Show([fill]) + " at byte " + pos);
                break;
            }
            case 9:
            {
                int depth = rng.Next(3) switch { 0 => 50, 1 => 1_000, _ => 100_000 };
                var open = rng.Next(2) == 0 ? (byte)'[' : (byte)'{';
                var nest = new byte[depth];
                Array.Fill(nest, open);
                d.InsertRange(pos, nest);
                log.Add("insert " + depth + " x '" + (char)open + "' at byte " + pos);
                break;
            }
            case 10:
            {
                // Swap two lines.
                var (a0, a1) = Line(d, pos);
                var (b0, b1) = Line(d, rng.Next(d.Count + 1));
                if (a0 == b0) goto case 1;
                if (a0 > b0) ((a0, a1), (b0, b1)) = ((b0, b1), (a0, a1));
                if (a1 > b0) goto case 1;
                var lineA = d.GetRange(a0, a1 - a0);
                var lineB = d.GetRange(b0, b1 - b0);
                d.RemoveRange(b0, b1 - b0);
                d.InsertRange(b0, lineA);
                d.RemoveRange(a0, a1 - a0);
                d.InsertRange(a0, lineB);
                log.Add("swap lines at bytes " + a0 + " and " + b0);
                break;
            }
            case 11:
            {
                var (l0, l1) = Line(d, pos);
                d.RemoveRange(l0, Math.Min(d.Count, l1 + 1) - l0);
                log.Add("delete the line at byte " + l0);
                break;
            }
            case 12:
            {
                var (l0, l1) = Line(d, pos);
                var line = d.GetRange(l0, Math.Min(d.Count, l1 + 1) - l0);
                d.InsertRange(l0, line);
                log.Add("duplicate the line at byte " + l0);
                break;
            }
            case 13:
            {
                // Change a digit: offsets, sizes, widths and values move.
                for (int i = 0; i < 200 && n > 0; i++)
                {
                    int p = (pos + i * 7919) % n;
                    if (d[p] < (byte)'0' || d[p] > (byte)'9') continue;
                    byte digit = (byte)('0' + rng.Next(10));
                    d[p] = digit;
                    log.Add("digit at byte " + p + " to " + (char)digit);
                    return;
                }
                goto case 1;
            }
            case 14:
            {
                // Indent or dedent a line by one or two spaces.
                int start = LineStart(d, pos);
                if (rng.Next(2) == 0)
                {
                    d.InsertRange(start, rng.Next(2) == 0 ? " "u8.ToArray() : "  "u8.ToArray());
                    log.Add("indent the line at byte " + start);
                }
                else if (start < d.Count && d[start] == (byte)' ')
                {
                    d.RemoveAt(start);
                    log.Add("dedent the line at byte " + start);
                }
                else goto case 2;
                break;
            }
            case 15:
            {
                // Random bytes.
                int len = 1 + rng.Next(16);
                var bytes = new byte[len];
                rng.NextBytes(bytes);
                d.InsertRange(pos, bytes);
                log.Add("insert random " + Show(bytes) + " at byte " + pos);
                break;
            }
            case 16:
            {
                // Replace a whole range with a repeated indicator.
                if (n == 0) goto default;
                int len = Math.Min(n - pos, 1 + rng.Next(64));
                var s = Snippets[rng.Next(Snippets.Length)];
                d.RemoveRange(pos, len);
                for (int i = 0; i < len; i += s.Length) d.InsertRange(pos, s);
                log.Add("replace bytes " + pos + "+" + len + " with " + Show(s) + " repeated");
                break;
            }
            case 17:
                d.InsertRange(0, new byte[] { 0xEF, 0xBB, 0xBF });
                log.Add("BOM at the start");
                break;
            case 18:
            {
                // Keep a prefix only, cut inside a line (a truncated download).
                int keep = rng.Next(Math.Max(1, n / 50));
                d.RemoveRange(keep, n - keep);
                log.Add("keep only the first " + keep + " bytes");
                break;
            }
            default:
            {
                // Move a range elsewhere.
                if (n == 0)
                {
                    d.AddRange("x: ["u8.ToArray());
                    log.Add("empty input: append 'x: ['");
                    break;
                }
                int len = Math.Min(n - pos, 1 + rng.Next(300));
                var range = d.GetRange(pos, len);
                d.RemoveRange(pos, len);
                int to = rng.Next(d.Count + 1);
                d.InsertRange(to, range);
                log.Add("move bytes " + pos + "+" + len + " to " + to);
                break;
            }
        }
    }

    private static int LineStart(List<byte> d, int pos)
    {
        pos = Math.Min(pos, d.Count);
        while (pos > 0 && d[pos - 1] != (byte)'\n') pos--;
        return pos;
    }

    /// <summary>The line around <paramref name="pos"/>: its first byte and the index of its '\n' (or the end).</summary>
    private static (int Start, int End) Line(List<byte> d, int pos)
    {
        int start = LineStart(d, pos);
        int end = start;
        while (end < d.Count && d[end] != (byte)'\n') end++;
        return (start, end);
    }

    private static string Show(byte[] bytes)
    {
        var sb = new StringBuilder("'");
        foreach (var b in bytes) sb.Append(b >= 0x20 && b < 0x7f && b != (byte)'\'' ? ((char)b).ToString() : "\\x" + b.ToString("X2"));
        return sb.Append('\'').ToString();
    }
}

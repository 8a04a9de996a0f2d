using System;
using System.Text;
using Xunit;

namespace Gvnic.Sdk.Tests.Support;

/// <summary>Hex images written by hand in the tests, and byte comparisons with useful failure messages.</summary>
internal static class Hex
{
    /// <summary>Parses a hex string; spaces, underscores and line breaks are ignored.</summary>
    public static byte[] Parse(string hex)
    {
        var clean = new StringBuilder(hex.Length);
        foreach (char c in hex)
        {
            if (c is ' ' or '_' or '\n' or '\r' or '\t') continue;
            clean.Append(c);
        }
        return Convert.FromHexString(clean.ToString());
    }

    /// <summary><paramref name="count"/> zero bytes as hex.</summary>
    public static string Zeros(int count) => new string('0', count * 2);

    /// <summary><paramref name="count"/> bytes start, start+1, ... (mod 256) as hex.</summary>
    public static string Seq(int start, int count)
    {
        var text = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) text.Append(((start + i) & 0xFF).ToString("X2"));
        return text.ToString();
    }

    /// <summary>ASCII text padded with NUL bytes to <paramref name="length"/>, as hex.</summary>
    public static string Ascii(string text, int length)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return Convert.ToHexString(bytes) + Zeros(length - bytes.Length);
    }

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Asserts that <paramref name="actual"/> is exactly the bytes of <paramref name="expectedHex"/>.</summary>
    public static void Equal(string expectedHex, ReadOnlySpan<byte> actual, string what = "bytes")
    {
        byte[] expected = Parse(expectedHex);
        if (expected.AsSpan().SequenceEqual(actual)) return;
        var message = new StringBuilder();
        message.Append(what).Append(": expected ").Append(expected.Length).Append(" bytes, got ").Append(actual.Length).AppendLine();
        int n = Math.Min(expected.Length, actual.Length);
        int shown = 0;
        for (int i = 0; i < n && shown < 16; i++)
        {
            if (expected[i] == actual[i]) continue;
            message.Append("  offset ").Append(i).Append(": expected ").Append(expected[i].ToString("X2"))
                   .Append(", actual ").Append(actual[i].ToString("X2")).AppendLine();
            shown++;
        }
        message.Append("  expected ").AppendLine(Convert.ToHexString(expected));
        message.Append("  actual   ").Append(Convert.ToHexString(actual));
        Assert.Fail(message.ToString());
    }

    /// <summary>
    /// Asserts that <paramref name="after"/> equals the image <paramref name="beforeHex"/> except for the
    /// listed changes (offset, new bytes as hex), which must be there.
    /// </summary>
    public static void ChangedOnly(string beforeHex, ReadOnlySpan<byte> after, params (int Offset, string Hex)[] changes)
    {
        byte[] expected = Parse(beforeHex);
        foreach (var (offset, hex) in changes) Parse(hex).CopyTo(expected, offset);
        Equal(Convert.ToHexString(expected), after, "image after in-place writes");
    }

    public static void ChangedOnly(string beforeHex, ReadOnlySpan<byte> after, int offset, string changedHex)
        => ChangedOnly(beforeHex, after, (offset, changedHex));
}

/// <summary>Encodes a value with its generated Write into a buffer with guard bytes after it.</summary>
internal static class Codec
{
    private const byte Guard = 0xEE;

    /// <summary>
    /// Calls <paramref name="write"/> on a buffer of <paramref name="size"/> + 8 guard bytes, checks the guard
    /// bytes are untouched and returns the first <paramref name="size"/> bytes.
    /// </summary>
    public static byte[] Encode(int size, Action<Span<byte>> write)
    {
        var buffer = new byte[size + 8];
        buffer.AsSpan().Fill(Guard);
        write(buffer);
        for (int i = size; i < buffer.Length; i++)
            Assert.True(buffer[i] == Guard, "Write touched byte " + i + " beyond the struct's " + size + " bytes");
        return buffer.AsSpan(0, size).ToArray();
    }
}

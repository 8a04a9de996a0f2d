using System;
using System.Collections.Generic;

namespace Gvnic.Schema
{
    /// <summary>
    /// The lines of a text, to turn a character index into a 1-based line and column the same way compilers and
    /// editors count them: a line ends at "\r\n", "\r", "\n", U+0085, U+2028 or U+2029. Every diagnostic location
    /// is made here from an index clamped to the text, so a line and column always exist in the file.
    /// </summary>
    internal sealed class TextLines
    {
        private readonly int[] _starts;
        private readonly int _length;

        public TextLines(string text)
        {
            _length = text.Length;
            var starts = new List<int> { 0 };
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                else if (c != '\r' && c != '\n' && c != '\u0085' && c != '\u2028' && c != '\u2029') continue;
                starts.Add(i + 1);
            }
            _starts = starts.ToArray();
        }

        /// <summary>The place of character <paramref name="index"/> (clamped to 0..length) spanning <paramref name="length"/> characters inside the text.</summary>
        public SourceSpan At(long index, long length)
        {
            int at = (int)Math.Min(Math.Max(0, index), _length);
            int span = (int)Math.Min(Math.Max(0, length), _length - at);
            int line = Array.BinarySearch(_starts, at);
            if (line < 0) line = ~line - 1;
            return new SourceSpan(line + 1, at - _starts[line] + 1, at, span);
        }
    }
}

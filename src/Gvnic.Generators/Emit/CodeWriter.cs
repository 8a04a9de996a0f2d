using System.Text;

namespace Gvnic.Generators.Emit
{
    /// <summary>A plain text writer with indentation and XML-doc helpers: all emission goes through it.</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        public CodeWriter Line(string line = "")
        {
            if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
            _text.Append('\n');
            return this;
        }

        public CodeWriter Open(string line)
        {
            if (line.Length > 0) Line(line);
            Line("{");
            _indent++;
            return this;
        }

        public CodeWriter Close(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
            return this;
        }

        /// <summary>Writes <c>/// &lt;summary&gt;</c> (XML text: escape schema strings with <see cref="Escape"/>).</summary>
        public CodeWriter Summary(string doc)
        {
            Line("/// <summary>");
            foreach (var line in Lines(doc)) Line("/// " + line);
            Line("/// </summary>");
            return this;
        }

        /// <summary>Writes <c>/// &lt;remarks&gt;</c> unless <paramref name="text"/> is empty.</summary>
        public CodeWriter Remarks(string text)
        {
            if (text.Length == 0) return this;
            Line("/// <remarks>");
            foreach (var line in Lines(text)) Line("/// " + line);
            Line("/// </remarks>");
            return this;
        }

        private static string[] Lines(string doc)
        {
            var text = doc.Length == 0 ? "(no documentation in the schema)" : doc;
            // Every character C# ends a line at, or a doc line would leak out of its /// comment.
            text = text.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u0085', '\n').Replace('\u2028', '\n').Replace('\u2029', '\n');
            return text.TrimEnd('\n').Split('\n');
        }

        /// <summary>
        /// Escapes text for XML documentation; characters XML cannot hold (control characters, lone surrogates)
        /// become U+FFFD.
        /// </summary>
        public static string Escape(string text)
        {
            var sb = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '&') sb.Append("&amp;");
                else if (c == '<') sb.Append("&lt;");
                else if (c == '>') sb.Append("&gt;");
                else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) sb.Append(c).Append(text[++i]);
                else if (char.IsSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\ufffe' || c == '\uffff') sb.Append('\ufffd');
                else sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>Escapes text for a C# string literal: quotes, backslashes, line breaks, control characters and surrogates.</summary>
        public static string Literal(string text)
        {
            var sb = new StringBuilder(text.Length + 2).Append('"');
            foreach (char c in text)
            {
                if (c == '\\') sb.Append("\\\\");
                else if (c == '"') sb.Append("\\\"");
                else if (c == '\n') sb.Append("\\n");
                else if (c == '\r') sb.Append("\\r");
                else if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029') sb.Append("\\u").Append(((int)c).ToString("x4"));
                else sb.Append(c);
            }
            return sb.Append('"').ToString();
        }

        public override string ToString() => _text.ToString();
    }
}

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
            return text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        }

        /// <summary>Escapes text for XML documentation.</summary>
        public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        /// <summary>Escapes text for a C# string literal.</summary>
        public static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

        public override string ToString() => _text.ToString();
    }
}

using System.Collections.Generic;
using System.Text;

namespace Gvnic.Schema
{
    /// <summary>How schema names become C# names.</summary>
    public static class Naming
    {
        /// <summary>
        /// C# type names generated code uses unqualified, from <c>Gvnic.Wire</c> (the run-time types of Gvnic.Sdk) and
        /// <c>System</c>: a schema type that took one would hide it in the schema's namespace, so the validator refuses
        /// them (GVNIC003).
        /// </summary>
        public static readonly IReadOnlyList<string> ReservedTypeNames = new[]
        {
            "IMmioRegion", "IWireStruct", "WireStruct", "WireEndian", "WireThrow", "WirePath", "WireIssue", "WireIssueKind", "WireField",
            "WireFieldKind", "WireSetResult", "WireFieldReader", "WireFieldWriter", "WireValidator", "WireFormatter", "WireType", "WireEnum",
            "WireEnumValue", "WireRegister", "WireOption", "WireHeaderValue",
            "Span", "ReadOnlySpan", "MemoryMarshal", "Unsafe", "BinaryPrimitives", "StringBuilder", "Convert", "Array", "Type", "Math",
            "ArgumentException", "ArgumentNullException", "ArgumentOutOfRangeException", "ICollection", "IReadOnlyList", "List", "Flags",
            "FlagsAttribute", "StructLayout", "StructLayoutAttribute", "LayoutKind", "FieldOffset", "FieldOffsetAttribute", "UnscopedRef",
            "UnscopedRefAttribute", "MethodImpl", "MethodImplAttribute", "MethodImplOptions", "System", "Gvnic",
        };

        /// <summary><c>adminq_create_tx_queue</c> → <c>AdminqCreateTxQueue</c>; a leading digit gets an underscore.</summary>
        public static string Pascal(string snake)
        {
            var sb = new StringBuilder(snake.Length);
            bool upper = true;
            foreach (char c in snake)
            {
                if (c == '_' || c == '-' || c == ' ' || c == '.')
                {
                    upper = true;
                    continue;
                }
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, '_');
            return sb.ToString();
        }

        /// <summary>
        /// The nested class of an option in its option list's class: <c>modify_ring</c> → <c>ModifyRing</c>, with
        /// <c>Option</c> appended when that would meet a member of the list's class or the class itself.
        /// </summary>
        public static string OptionClass(string list, string option)
        {
            var p = Pascal(option);
            return p == "Options" || p == "Find" || p == "Accepts" || p == "HeaderSize" || p == Pascal(list) ? p + "Option" : p;
        }

        /// <summary><c>tx_ring_size</c> → <c>_txRingSize</c>, the name of a private storage field.</summary>
        public static string Private(string snake)
        {
            var pascal = Pascal(snake);
            return "_" + char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        }
    }
}

using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>Maps schema integer types to C# and writes literals of the right type.</summary>
    internal static class CSharpTypes
    {
        public static string OfInteger(string type)
        {
            switch (type)
            {
                case "u8": return "byte";
                case "u16": return "ushort";
                case "u32": return "uint";
                default: return "ulong";
            }
        }

        public static string OfSize(int bytes)
        {
            switch (bytes)
            {
                case 1: return "byte";
                case 2: return "ushort";
                case 4: return "uint";
                default: return "ulong";
            }
        }

        /// <summary>A hex literal usable with a value of <paramref name="bytes"/> bytes.</summary>
        public static string Hex(ulong value, int bytes)
        {
            string digits = "0x" + value.ToString("X");
            if (bytes == 8) return digits + "UL";
            if (bytes == 4) return digits + "u";
            return digits;
        }

        public static string Hex(ulong value) => "0x" + value.ToString("X");

        public static string Order(ByteOrder order) => order == ByteOrder.Big ? "Big" : "Little";
    }
}

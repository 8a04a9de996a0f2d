using System.Text;

namespace Gvnic.Schema
{
    /// <summary>How schema names become C# names.</summary>
    public static class Naming
    {
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

        /// <summary><c>tx_ring_size</c> → <c>_txRingSize</c>, the name of a private storage field.</summary>
        public static string Private(string snake)
        {
            var pascal = Pascal(snake);
            return "_" + char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        }
    }
}

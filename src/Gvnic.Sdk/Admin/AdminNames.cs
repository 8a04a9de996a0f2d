using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>
/// Upstream-style names for opcodes and statuses in messages: <c>CREATE_RX_QUEUE (0x6)</c>, <c>INVALID_ARGUMENT (0xFFFFFFF7)</c>.
/// The names are the schema's (<see cref="GvnicCatalog"/>: <c>create_rx_queue</c>, <c>command_error_invalid_argument</c>),
/// upper-cased; statuses drop the <c>command_error_</c> or <c>command_</c> prefix, as upstream's messages do.
/// </summary>
/// <remarks>The tables are built once, on the first error that needs a name; nothing on a hot path calls this class.</remarks>
public static class AdminNames
{
    /// <summary>The opcode's upstream name (<c>DESCRIBE_DEVICE</c>), or <c>OPCODE_0x…</c> for a value the schema does not define.</summary>
    public static string Of(AdminqOpcodes opcode)
        => Tables.Opcodes.TryGetValue((uint)opcode, out string? name) ? name : "OPCODE_0x" + ((uint)opcode).ToString("X");

    /// <summary>The status's upstream name without the <c>COMMAND_ERROR_</c> or <c>COMMAND_</c> prefix (<c>INVALID_ARGUMENT</c>, <c>PASSED</c>, <c>UNSET</c>), or <c>STATUS_0x…</c>.</summary>
    public static string Of(AdminqStatuses status)
        => Tables.Statuses.TryGetValue((uint)status, out string? name) ? name : "STATUS_0x" + ((uint)status).ToString("X");

    /// <summary><c>NAME (0xHEX)</c> for an opcode.</summary>
    public static string Describe(AdminqOpcodes opcode) => Of(opcode) + " (0x" + ((uint)opcode).ToString("X") + ")";

    /// <summary><c>NAME (0xHEX)</c> for a status.</summary>
    public static string Describe(AdminqStatuses status) => Of(status) + " (0x" + ((uint)status).ToString("X") + ")";

    /// <summary>The names, read from the generated catalog on first use.</summary>
    private static class Tables
    {
        public static readonly Dictionary<uint, string> Opcodes = Build(AdminqOpcodesInfo.SchemaName);

        public static readonly Dictionary<uint, string> Statuses = Build(AdminqStatusesInfo.SchemaName, "command_error_", "command_");

        private static Dictionary<uint, string> Build(string schemaEnum, params string[] prefixes)
        {
            WireEnum values = GvnicCatalog.FindEnum(schemaEnum)
                ?? throw new KeyNotFoundException("the generated catalog has no enum '" + schemaEnum + "'");
            var names = new Dictionary<uint, string>(values.Values.Count);
            foreach (WireEnumValue value in values.Values)
            {
                string name = value.Name;
                foreach (string prefix in prefixes)
                {
                    if (name.StartsWith(prefix, System.StringComparison.Ordinal))
                    {
                        name = name.Substring(prefix.Length);
                        break;
                    }
                }
                names[(uint)value.Value] = name.ToUpperInvariant();
            }
            return names;
        }
    }
}

using System.Text;
using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>Upstream-style names for opcodes and statuses in messages: <c>CREATE_RX_QUEUE (0x6)</c>, <c>INVALID_ARGUMENT (0xFFFFFFF7)</c>.</summary>
public static class AdminNames
{
    /// <summary>The opcode's upstream name (<c>DESCRIBE_DEVICE</c>), or <c>OPCODE_0x…</c> for an unknown value.</summary>
    public static string Of(AdminqOpcodes opcode)
        => AdminqOpcodesInfo.IsDefined(opcode) ? Snake(opcode.ToString(), null) : "OPCODE_0x" + ((uint)opcode).ToString("X");

    /// <summary>The status's upstream name without the <c>COMMAND_ERROR_</c> prefix (<c>INVALID_ARGUMENT</c>, <c>PASSED</c>, <c>UNSET</c>).</summary>
    public static string Of(AdminqStatuses status)
    {
        if (!AdminqStatusesInfo.IsDefined(status)) return "STATUS_0x" + ((uint)status).ToString("X");
        string name = status.ToString();
        string trimmed = name.StartsWith("CommandError", System.StringComparison.Ordinal) ? name.Substring("CommandError".Length)
            : name.StartsWith("Command", System.StringComparison.Ordinal) ? name.Substring("Command".Length) : name;
        return Snake(trimmed, null);
    }

    /// <summary><c>NAME (0xHEX)</c> for an opcode.</summary>
    public static string Describe(AdminqOpcodes opcode) => Of(opcode) + " (0x" + ((uint)opcode).ToString("X") + ")";

    /// <summary><c>NAME (0xHEX)</c> for a status.</summary>
    public static string Describe(AdminqStatuses status) => Of(status) + " (0x" + ((uint)status).ToString("X") + ")";

    private static string Snake(string pascal, string? prefix)
    {
        var sb = new StringBuilder(prefix);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}

using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>An admin command completed with a status other than PASSED.</summary>
/// <remarks>Message: <c>CREATE_RX_QUEUE (0x6) for queue 3 failed: INVALID_ARGUMENT (0xFFFFFFF7)</c>.</remarks>
public sealed class AdminCommandException : GvnicException
{
    /// <summary>Creates the exception.</summary>
    public AdminCommandException(AdminqOpcodes opcode, AdminqStatuses status, uint? queueId)
        : base(AdminNames.Describe(opcode) + (queueId is uint q ? (opcode is AdminqOpcodes.RegisterPageList or AdminqOpcodes.UnregisterPageList ? " for page list " : " for queue ") + q : "")
               + " failed: " + AdminNames.Describe(status)
               + (status == AdminqStatuses.CommandUnset ? " (the device completed the command without writing a status)" : ""))
    {
        Opcode = opcode;
        Status = status;
        QueueId = queueId;
    }

    /// <summary>The command that failed.</summary>
    public AdminqOpcodes Opcode { get; }

    /// <summary>The status the device wrote.</summary>
    public AdminqStatuses Status { get; }

    /// <summary>The queue (or page-list) id the command named, if it names one.</summary>
    public uint? QueueId { get; }
}

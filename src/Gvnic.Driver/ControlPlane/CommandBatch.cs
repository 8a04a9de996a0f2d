using System;
using Gvnic.Wire;

namespace Gvnic.Driver.ControlPlane;

/// <summary>
/// What the device answered to a batch of per-queue commands sent together (one doorbell): each command's status, and
/// the failure to raise when not all of them passed.
/// </summary>
/// <remarks>
/// After an <see cref="AdminCommandException"/> each command has the status the device wrote. After any other failure
/// (a timeout, a reset, an event counter ahead of what was posted) the device said nothing about any command: every
/// status is <see cref="AdminqStatuses.CommandUnset"/> and none counts as confirmed.
/// </remarks>
internal sealed class CommandBatch
{
    private readonly AdminqStatuses[] _statuses;

    private CommandBatch(AdminqStatuses[] statuses, GvnicException? failure)
    {
        _statuses = statuses;
        Failure = failure;
    }

    /// <summary>Every one of <paramref name="count"/> commands passed.</summary>
    public static CommandBatch Passed(int count)
    {
        var statuses = new AdminqStatuses[count];
        Array.Fill(statuses, AdminqStatuses.CommandPassed);
        return new CommandBatch(statuses, null);
    }

    /// <summary>A command failed: <paramref name="statuses"/> are what the device wrote for each.</summary>
    public static CommandBatch Failed(AdminqStatuses[] statuses, AdminCommandException failure) => new(statuses, failure);

    /// <summary>The device answered none of <paramref name="count"/> commands (<paramref name="failure"/> says why).</summary>
    public static CommandBatch Unanswered(int count, GvnicException failure) => new(new AdminqStatuses[count], failure); // all CommandUnset (0)

    /// <summary>How many commands the batch held.</summary>
    public int Count => _statuses.Length;

    /// <summary>The status of command <paramref name="index"/>, in the order sent.</summary>
    public AdminqStatuses Status(int index) => _statuses[index];

    /// <summary>Whether the device confirmed command <paramref name="index"/> (wrote PASSED).</summary>
    public bool Confirmed(int index) => _statuses[index] == AdminqStatuses.CommandPassed;

    /// <summary>
    /// Whether the device answered none of the commands because the control plane failed (a timeout, a reset, a nonsense
    /// event counter): each may or may not have run.
    /// </summary>
    public bool NotAnswered => Failure is not null and not AdminCommandException;

    /// <summary>Null when every command passed; otherwise what went wrong (an <see cref="AdminCommandException"/> for the first failed command, or the timeout, reset or fault that left the batch unanswered).</summary>
    public GvnicException? Failure { get; }
}

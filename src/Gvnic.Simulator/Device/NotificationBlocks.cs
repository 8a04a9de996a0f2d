using System;
using System.Collections.Generic;
using Gvnic.Simulator.Registers;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The notification blocks CONFIGURE_DEVICE_RESOURCES set up (none before), and the management vector: the vector after
/// the blocks (or vector 0 when the blocks start above 0); before configuration the last vector.
/// </summary>
internal sealed class NotificationBlocks(int msixVectors, IMsixSink msix, ViolationLog violations, DeviceClock clock, SimulatedDeviceConfig config)
{
    private NotificationBlock[] _blocks = Array.Empty<NotificationBlock>();
    private uint _msixBase;

    /// <summary>The blocks, by id.</summary>
    public IReadOnlyList<NotificationBlock> All => _blocks;

    /// <summary>Sets up <paramref name="count"/> blocks raising vectors from <paramref name="msixBase"/> and ringing at <see cref="DoorbellLayout.IrqBase"/> + id.</summary>
    public void Configure(uint count, uint msixBase, bool dqo)
    {
        Clear();
        _msixBase = msixBase;
        _blocks = new NotificationBlock[count];
        for (int i = 0; i < _blocks.Length; i++)
            _blocks[i] = new NotificationBlock(i, DoorbellLayout.IrqBase + (uint)i, (int)msixBase + i, dqo, msix, violations, clock, config);
    }

    /// <summary>No blocks from now on (deconfiguration or reset).</summary>
    public void Clear()
    {
        foreach (NotificationBlock b in _blocks) b.Retire();
        _blocks = Array.Empty<NotificationBlock>();
    }

    /// <summary>Block <paramref name="id"/>, or null when no such block exists.</summary>
    public NotificationBlock? Get(uint id) => id < _blocks.Length ? _blocks[id] : null;

    /// <summary>Work completed for a queue bound to block <paramref name="id"/> (ignored when no such block exists).</summary>
    public void Notify(uint id)
    {
        if (id < _blocks.Length) _blocks[id].Notify();
    }

    /// <summary>The MSI-X vector for device-status changes.</summary>
    public int ManagementVector => _blocks.Length == 0 ? msixVectors - 1 : _msixBase > 0 ? 0 : _blocks.Length;

    /// <summary>Raises the management vector (link change, reset request).</summary>
    public void RaiseManagement()
    {
        int v = ManagementVector;
        if (v >= 0 && v < msixVectors) msix.Raise(v);
    }
}

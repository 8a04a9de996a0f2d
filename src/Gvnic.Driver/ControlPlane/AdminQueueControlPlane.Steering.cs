using System;
using Gvnic.Admin;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.ControlPlane;

/// <summary>The RX steering commands over the admin queue: each one command, its buffers freed once the device answered.</summary>
internal sealed partial class AdminQueueControlPlane
{
    public void ConfigureRss(RssHashTypes hashTypes, ReadOnlySpan<byte> key, ReadOnlySpan<int> table)
    {
        lock (_admin.Gate)
        {
            DmaRegion? keyRegion = key.IsEmpty ? null : _memory.Allocate(key.Length);
            DmaRegion? tableRegion = table.IsEmpty ? null : _memory.Allocate(table.Length * RssLutEntry.Size);
            try
            {
                if (keyRegion is not null) key.CopyTo(keyRegion.Span);
                if (tableRegion is DmaRegion t)
                    for (int i = 0; i < table.Length; i++) new RssLutEntry { Queue = (uint)table[i] }.Write(t.Span.Slice(i * RssLutEntry.Size));
                AdminCommands.ConfigureRss(ref _admin.Reserve(), hashTypes, RssHashAlg.Toeplitz, (ushort)key.Length, keyRegion?.DeviceAddress ?? 0,
                    (ushort)table.Length, tableRegion?.DeviceAddress ?? 0);
                _admin.Flush();
            }
            finally
            {
                // A control plane that failed may have left the device holding the buffers: keep them (teardown frees all).
                if (_admin.Failure is null)
                {
                    if (keyRegion is DmaRegion k) _memory.Free(k);
                    if (tableRegion is DmaRegion t) _memory.Free(t);
                }
            }
        }
    }

    public byte[] QueryRss()
    {
        lock (_admin.Gate)
        {
            DmaRegion answer = _memory.Allocate((int)GvnicConstants.AdminqBufferSize);
            answer.Span.Clear();
            AdminCommands.QueryRss(ref _admin.Reserve(), answer.DeviceAddress, (ulong)answer.Length);
            return FlushAndCopy(answer);
        }
    }

    public void ConfigureFlowRule(FlowRuleCfgOpcode opcode, uint location, in AdminqFlowRule rule)
    {
        lock (_admin.Gate)
        {
            DmaRegion inner = _memory.Allocate(AdminqConfigureFlowRule.Size);
            ref AdminqConfigureFlowRule command = ref AdminqConfigureFlowRule.AsRef(inner.Span);
            AdminCommands.ConfigureFlowRule(ref command, opcode, location);
            if (opcode == FlowRuleCfgOpcode.Add) command.Rule = rule;
            AdminCommands.ExtendedCommand(ref _admin.Reserve(), AdminqExtendedOpcodes.ConfigureFlowRule, AdminqConfigureFlowRule.Size, inner.DeviceAddress);
            try
            {
                _admin.Flush();
            }
            finally
            {
                if (_admin.Failure is null) _memory.Free(inner);
            }
        }
    }

    public byte[] QueryFlowRules(FlowRuleQueryOpcode opcode, uint startingLocation)
    {
        lock (_admin.Gate)
        {
            DmaRegion answer = _memory.Allocate((int)GvnicConstants.AdminqBufferSize);
            answer.Span.Clear();
            AdminCommands.QueryFlowRules(ref _admin.Reserve(), opcode, startingLocation, answer.DeviceAddress, (ulong)answer.Length);
            return FlushAndCopy(answer);
        }
    }

    /// <summary>Sends what was reserved and copies <paramref name="answer"/> out; frees it unless the control plane failed (the device may still write it).</summary>
    private byte[] FlushAndCopy(DmaRegion answer)
    {
        try
        {
            _admin.Flush();
            return answer.Span.ToArray();
        }
        finally
        {
            if (_admin.Failure is null) _memory.Free(answer);
        }
    }
}

using System;
using Gvnic.Simulator.Device;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// CONFIGURE_DEVICE_RESOURCES (the queue format, the event-counter array, the notification blocks and their IRQ-doorbell
/// array) and DECONFIGURE_DEVICE_RESOURCES.
/// </summary>
internal sealed class ResourceCommands(AdminCommandContext context) : AdminCommandGroup(context)
{
    /// <summary>Whether the device offers <paramref name="f"/> (GQI QPL also when it offers no format option at all).</summary>
    private bool FormatOffered(QueueFormat f) => f switch
    {
        QueueFormat.GqiQpl => (Config.Formats & OfferedFormats.GqiQpl) != 0 || Config.Formats == OfferedFormats.None,
        QueueFormat.GqiRda => (Config.Formats & OfferedFormats.GqiRda) != 0,
        QueueFormat.DqoRda => (Config.Formats & OfferedFormats.DqoRda) != 0,
        QueueFormat.DqoQpl => (Config.Formats & OfferedFormats.DqoQpl) != 0,
        _ => false,
    };

    public AdminqStatuses Configure(ref AdminqConfigureDeviceResources c)
    {
        if (State.Configured) return Context.OutOfOrder("CONFIGURE_DEVICE_RESOURCES while already configured (DECONFIGURE first)");
        QueueFormat format = c.QueueFormat;
        if (format == QueueFormat.Unspecified)
            format = FormatOffered(QueueFormat.GqiQpl) ? QueueFormat.GqiQpl : QueueFormat.GqiRda; // drivers older than DQO leave it 0: GQI
        if (!FormatOffered(format)) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.NumCounters == 0 || c.NumCounters > Config.Counters) return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.NumIrqDbs == 0 || c.NumIrqDbs > (uint)Config.MsixVectors || (ulong)c.NtfyBlkMsixBaseIdx + c.NumIrqDbs > (ulong)Config.MsixVectors)
            return AdminqStatuses.CommandErrorInvalidArgument;
        if (c.IrqDbStride < IrqDb.Size || c.IrqDbStride % 4 != 0 || c.IrqDbStride > GvnicConstants.PageSize) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(c.CounterArray, "event-counter array") || !Context.Aligned(c.IrqDbAddr, "IRQ-doorbell array")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(c.CounterArray, (long)c.NumCounters * EventCounter.Size, "event-counter array", out _)) return AdminqStatuses.CommandErrorInvalidArgument;
        long irqLen = (long)(c.NumIrqDbs - 1) * c.IrqDbStride + IrqDb.Size;
        if (!Context.TryDma(c.IrqDbAddr, irqLen, "IRQ-doorbell array", out Span<byte> irq)) return AdminqStatuses.CommandErrorInvalidArgument;

        State.EventCounters.Configure(c.CounterArray, c.NumCounters);
        State.Format = format;
        bool dqo = format is QueueFormat.DqoRda or QueueFormat.DqoQpl;
        State.Blocks.Configure(c.NumIrqDbs, c.NtfyBlkMsixBaseIdx, dqo);
        foreach (NotificationBlock b in State.Blocks.All)
        {
            new IrqDb { Index = Context.Faults.OnIrqDoorbellIndex((int)b.Id, b.DoorbellIndex) }.Write(irq.Slice((int)(b.Id * c.IrqDbStride)));
            State.Doorbells.Assign(b.DoorbellIndex, b);
        }
        State.Configured = true;
        return AdminqStatuses.CommandPassed;
    }

    public AdminqStatuses Deconfigure()
    {
        if (!State.Configured) return Context.NotConfigured("DECONFIGURE_DEVICE_RESOURCES");
        int tx = DeviceState.CountLive(State.Tx), rx = DeviceState.CountLive(State.Rx);
        if (tx + rx > 0) return Context.OutOfOrder("DECONFIGURE_DEVICE_RESOURCES while " + tx + " TX and " + rx + " RX queues still exist");
        if (State.PageLists.Count > 0) return Context.OutOfOrder("DECONFIGURE_DEVICE_RESOURCES while " + State.PageLists.Count + " page lists are still registered");
        foreach (NotificationBlock b in State.Blocks.All) State.Doorbells.Release(b.DoorbellIndex);
        State.Blocks.Clear();
        State.EventCounters.Clear();
        State.Configured = false;
        State.Steering.Clear();
        return AdminqStatuses.CommandPassed;
    }
}

using System;
using Gvnic.Admin;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.ControlPlane;

/// <summary>
/// The control plane over upstream's admin queue (<see cref="AdminQueue"/>): each operation is one admin command (the
/// per-queue ones, one command per queue behind one doorbell), with the command's buffers allocated from the bring-up's
/// DMA memory and freed once the device answered.
/// </summary>
internal sealed partial class AdminQueueControlPlane : IControlPlane
{
    private readonly AdminQueue _admin;
    private readonly DmaMemory _memory;
    private readonly byte _revision;

    /// <summary>Allocates the admin-queue page; <see cref="Start"/> hands it to the device.</summary>
    public AdminQueueControlPlane(IPciFunction pci, DmaMemory memory, TimeSpan timeout, TimeProvider time, AdminCounters counters)
    {
        _memory = memory;
        _revision = pci.RevisionId;
        _admin = new AdminQueue(pci, memory, timeout, time, counters);
    }

    public int MaxBatch => (int)GvnicConstants.AdminqSlots;

    public GvnicException? Failure => _admin.Failure;

    public void Start() => _admin.Start();

    public string Describe() => _admin.Describe();

    public AdminqStatuses VerifyDriverCompatibility(Version version)
    {
        lock (_admin.Gate)
        {
            DmaRegion info = _memory.Allocate(DriverInfo.Size);
            AdminCommands.FillDriverInfo(ref DriverInfo.AsRef(info.Span), (byte)version.Major, (byte)Math.Max(0, version.Minor), (byte)Math.Max(0, version.Build),
                Environment.OSVersion.VersionString, "gvnic-dotnet " + version);
            AdminCommands.VerifyDriverCompatibility(ref _admin.Reserve(), info.DeviceAddress);
            AdminqStatuses status = _admin.FlushAllowing(AdminqStatuses.CommandErrorUnimplemented);
            _memory.Free(info);
            return status;
        }
    }

    public DeviceDescription DescribeDevice()
    {
        lock (_admin.Gate)
        {
            DmaRegion page = _memory.Allocate((int)GvnicConstants.PageSize);
            AdminCommands.DescribeDevice(ref _admin.Reserve(), page.DeviceAddress, (uint)page.Length);
            _admin.Flush();
            DeviceDescription description;
            try
            {
                description = DeviceDescriptorParser.Parse(page.Span);
            }
            catch (DeviceDescriptorException e)
            {
                throw new DeviceFaultException("device descriptor", "total_length", -1, DeviceDescriptor.AsReadOnly(page.Span).TotalLength, e.Message);
            }
            _memory.Free(page);
            return description;
        }
    }

    public void SetMtu(int mtu)
    {
        lock (_admin.Gate)
        {
            AdminCommands.SetDriverParameter(ref _admin.Reserve(), SetDriverParamTypes.Mtu, (ulong)mtu);
            _admin.Flush();
        }
    }

    public void ConfigureDeviceResources(DeviceResources resources, QueueFormat format)
    {
        lock (_admin.Gate)
        {
            AdminCommands.ConfigureDeviceResources(ref _admin.Reserve(), resources.CounterArrayAddress, (uint)resources.CounterCount,
                resources.IrqDoorbellArrayAddress, (uint)resources.BlockCount, DeviceResources.IrqDoorbellStride, 0, format);
            _admin.Flush();
        }
    }

    public PacketTypes GetPacketTypes()
    {
        lock (_admin.Gate)
        {
            DmaRegion region = _memory.Allocate(PtypeMap.Size);
            AdminCommands.GetPtypeMap(ref _admin.Reserve(), region.DeviceAddress);
            _admin.Flush();
            PacketTypes types = PacketTypes.Decode(region.Span);
            _memory.Free(region);
            return types;
        }
    }

    public ulong ReportNicTimestamp(DmaRegion report)
    {
        lock (_admin.Gate)
        {
            AdminCommands.ReportNicTimestamp(ref _admin.Reserve(), report.DeviceAddress);
            _admin.Flush();
            return NicTsReport.AsReadOnly(report.Span).NicTimestamp;
        }
    }

    public AdminqStatuses ReportLinkSpeed(out ulong mbps)
    {
        lock (_admin.Gate)
        {
            DmaRegion speed = _memory.Allocate(LinkSpeedReport.Size);
            AdminCommands.ReportLinkSpeed(ref _admin.Reserve(), speed.DeviceAddress);
            AdminqStatuses status = _admin.FlushOptional();
            mbps = status == AdminqStatuses.CommandPassed ? LinkSpeedReport.AsReadOnly(speed.Span).LinkSpeed : 0;
            _memory.Free(speed);
            return status;
        }
    }

    public AdminqStatuses ReportStats(DmaRegion report, int intervalMs)
    {
        lock (_admin.Gate)
        {
            AdminCommands.ReportStats(ref _admin.Reserve(), report.DeviceAddress, (ulong)report.Length, (ulong)intervalMs);
            return _admin.FlushOptional();
        }
    }

    public CommandBatch RegisterPageLists(ReadOnlySpan<QueuePageList> lists)
        => Send(lists, static (ref AdminqCommand cmd, in QueuePageList l) => AdminCommands.RegisterPageList(ref cmd, l.Id, (uint)l.PageCount, l.AddressList.DeviceAddress));

    public CommandBatch CreateTxQueues(ReadOnlySpan<TxQueueDefinition> queues)
        => Send(queues, static (ref AdminqCommand cmd, in TxQueueDefinition q) => AdminCommands.CreateTxQueue(ref cmd, q.Id, q.NotifyBlock, q.ResourcesAddress,
            q.RingAddress, q.RingSize, q.PageListId, q.CompletionRingAddress, q.CompletionRingSize));

    public CommandBatch CreateRxQueues(ReadOnlySpan<RxQueueDefinition> queues)
        => Send(queues, static (ref AdminqCommand cmd, in RxQueueDefinition q) => AdminCommands.CreateRxQueue(ref cmd, q.Id, q.NotifyBlock, q.ResourcesAddress,
            q.DescriptorRingAddress, q.DataRingAddress, q.RingSize, q.BufferSize, q.PageListId, q.BufferRingSize, q.HeaderBufferSize));

    public CommandBatch DestroyRxQueues(ReadOnlySpan<uint> ids) => Send(ids, static (ref AdminqCommand cmd, in uint id) => AdminCommands.DestroyRxQueue(ref cmd, id));

    public CommandBatch DestroyTxQueues(ReadOnlySpan<uint> ids) => Send(ids, static (ref AdminqCommand cmd, in uint id) => AdminCommands.DestroyTxQueue(ref cmd, id));

    public CommandBatch UnregisterPageLists(ReadOnlySpan<uint> ids) => Send(ids, static (ref AdminqCommand cmd, in uint id) => AdminCommands.UnregisterPageList(ref cmd, id));

    public void DeconfigureDeviceResources()
    {
        lock (_admin.Gate)
        {
            AdminCommands.DeconfigureDeviceResources(ref _admin.Reserve());
            _admin.Flush();
        }
    }

    public bool Release()
    {
        lock (_admin.Gate) return _admin.Release();
    }

    public string ReleaseConfirmed => _revision == 0
        ? "adminq_pfn written 0 and read back 0: the device let go of the admin queue"
        : "driver_status RESET written, device_status shows DEVICE_IS_RESET";

    public string ReleaseMissing => _revision == 0 ? "adminq_pfn never read back 0" : "device_status never showed DEVICE_IS_RESET";

    private delegate void FillCommand<T>(ref AdminqCommand cmd, in T item);

    /// <summary>One command per item behind one doorbell; what the device answered for each.</summary>
    private CommandBatch Send<T>(ReadOnlySpan<T> items, FillCommand<T> fill)
    {
        if (items.Length > MaxBatch) throw new ArgumentOutOfRangeException(nameof(items), items.Length, "a batch holds at most " + MaxBatch + " commands");
        lock (_admin.Gate)
        {
            foreach (ref readonly T item in items) fill(ref _admin.Reserve(), in item);
            try
            {
                _admin.Flush();
                return CommandBatch.Passed(items.Length);
            }
            catch (AdminCommandException e)
            {
                var statuses = new AdminqStatuses[items.Length];
                for (int i = 0; i < statuses.Length; i++) statuses[i] = _admin.BatchStatus(i);
                return CommandBatch.Failed(statuses, e);
            }
            catch (GvnicException e)
            {
                return CommandBatch.Unanswered(items.Length, e);
            }
        }
    }
}

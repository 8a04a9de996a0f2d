using System;
using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>
/// Fills an admin-queue command slot from typed arguments, one method per opcode. Each clears the whole
/// 64-byte slot first (so reserved bytes and the status word are zero), then writes the opcode and body
/// through the generated <see cref="AdminqCommand"/> view. Nothing here allocates.
/// </summary>
/// <example><code>
/// ref AdminqCommand cmd = ref AdminqCommand.AsRef(slot);
/// AdminCommands.DestroyTxQueue(ref cmd, queueId: 3);
/// </code></example>
public static partial class AdminCommands
{
    /// <summary>DESCRIBE_DEVICE: the device writes its descriptor and options to <paramref name="descriptorAddress"/>.</summary>
    public static void DescribeDevice(ref AdminqCommand cmd, ulong descriptorAddress, uint availableLength)
    {
        Begin(ref cmd, AdminqOpcodes.DescribeDevice);
        ref AdminqDescribeDevice body = ref cmd.DescribeDevice;
        body.DeviceDescriptorAddr = descriptorAddress;
        body.DeviceDescriptorVersion = GvnicConstants.AdminqDeviceDescriptorVersion;
        body.AvailableLength = availableLength;
    }

    /// <summary>CONFIGURE_DEVICE_RESOURCES: the event-counter array, the notification-block (IRQ doorbell) array and the queue format.</summary>
    public static void ConfigureDeviceResources(ref AdminqCommand cmd, ulong counterArrayAddress, uint counterCount,
        ulong irqDoorbellArrayAddress, uint irqDoorbellCount, uint irqDoorbellStride, uint msixBaseIndex, QueueFormat format)
    {
        Begin(ref cmd, AdminqOpcodes.ConfigureDeviceResources);
        ref AdminqConfigureDeviceResources body = ref cmd.ConfigureDeviceResources;
        body.CounterArray = counterArrayAddress;
        body.NumCounters = counterCount;
        body.IrqDbAddr = irqDoorbellArrayAddress;
        body.NumIrqDbs = irqDoorbellCount;
        body.IrqDbStride = irqDoorbellStride;
        body.NtfyBlkMsixBaseIdx = msixBaseIndex;
        body.QueueFormat = format;
    }

    /// <summary>DECONFIGURE_DEVICE_RESOURCES (no body).</summary>
    public static void DeconfigureDeviceResources(ref AdminqCommand cmd) => Begin(ref cmd, AdminqOpcodes.DeconfigureDeviceResources);

    /// <summary>REGISTER_PAGE_LIST: <paramref name="pageCount"/> pages whose big-endian addresses sit at <paramref name="pageAddressListAddress"/>.</summary>
    public static void RegisterPageList(ref AdminqCommand cmd, uint pageListId, uint pageCount, ulong pageAddressListAddress, ulong pageSize = GvnicConstants.PageSize)
    {
        Begin(ref cmd, AdminqOpcodes.RegisterPageList);
        ref AdminqRegisterPageList body = ref cmd.RegisterPageList;
        body.PageListId = pageListId;
        body.NumPages = pageCount;
        body.PageAddressListAddr = pageAddressListAddress;
        body.PageSize = pageSize;
    }

    /// <summary>UNREGISTER_PAGE_LIST.</summary>
    public static void UnregisterPageList(ref AdminqCommand cmd, uint pageListId)
    {
        Begin(ref cmd, AdminqOpcodes.UnregisterPageList);
        cmd.UnregisterPageList.PageListId = pageListId;
    }

    /// <summary>
    /// CREATE_TX_QUEUE. <paramref name="pageListId"/> is the queue's QPL id or
    /// <see cref="GvnicConstants.RawAddressingQplId"/> for RDA; the completion ring is DQO only (0 for GQI).
    /// </summary>
    public static void CreateTxQueue(ref AdminqCommand cmd, uint queueId, uint notifyBlock, ulong queueResourcesAddress,
        ulong ringAddress, ushort ringSize, uint pageListId, ulong completionRingAddress = 0, ushort completionRingSize = 0)
    {
        Begin(ref cmd, AdminqOpcodes.CreateTxQueue);
        ref AdminqCreateTxQueue body = ref cmd.CreateTxQueue;
        body.QueueId = queueId;
        body.NtfyId = notifyBlock;
        body.QueueResourcesAddr = queueResourcesAddress;
        body.TxRingAddr = ringAddress;
        body.TxRingSize = ringSize;
        body.QueuePageListId = pageListId;
        body.TxCompRingAddr = completionRingAddress;
        body.TxCompRingSize = completionRingSize;
    }

    /// <summary>
    /// CREATE_RX_QUEUE. GQI: <paramref name="descriptorRingAddress"/> is the rx_desc ring the device writes and
    /// <paramref name="dataRingAddress"/> the data-slot ring the driver fills. DQO: the completion ring and the
    /// buffer queue respectively, with <paramref name="bufferRingSize"/> the buffer-queue size.
    /// </summary>
    public static void CreateRxQueue(ref AdminqCommand cmd, uint queueId, uint notifyBlock, ulong queueResourcesAddress,
        ulong descriptorRingAddress, ulong dataRingAddress, ushort ringSize, ushort packetBufferSize, uint pageListId,
        ushort bufferRingSize = 0, ushort headerBufferSize = 0, bool enableRsc = false)
    {
        Begin(ref cmd, AdminqOpcodes.CreateRxQueue);
        ref AdminqCreateRxQueue body = ref cmd.CreateRxQueue;
        body.QueueId = queueId;
        body.Index = queueId;
        body.NtfyId = notifyBlock;
        body.QueueResourcesAddr = queueResourcesAddress;
        body.RxDescRingAddr = descriptorRingAddress;
        body.RxDataRingAddr = dataRingAddress;
        body.QueuePageListId = pageListId;
        body.RxRingSize = ringSize;
        body.PacketBufferSize = packetBufferSize;
        body.RxBuffRingSize = bufferRingSize;
        body.HeaderBufferSize = headerBufferSize;
        body.EnableRsc = enableRsc ? (byte)1 : (byte)0;
    }

    /// <summary>DESTROY_TX_QUEUE.</summary>
    public static void DestroyTxQueue(ref AdminqCommand cmd, uint queueId)
    {
        Begin(ref cmd, AdminqOpcodes.DestroyTxQueue);
        cmd.DestroyTxQueue.QueueId = queueId;
    }

    /// <summary>DESTROY_RX_QUEUE.</summary>
    public static void DestroyRxQueue(ref AdminqCommand cmd, uint queueId)
    {
        Begin(ref cmd, AdminqOpcodes.DestroyRxQueue);
        cmd.DestroyRxQueue.QueueId = queueId;
    }

    /// <summary>REPORT_STATS: the device reads driver statistics from a (zeroed) stats report buffer.</summary>
    public static void ReportStats(ref AdminqCommand cmd, ulong reportAddress, ulong reportLength, ulong intervalMs)
    {
        Begin(ref cmd, AdminqOpcodes.ReportStats);
        ref AdminqReportStats body = ref cmd.ReportStats;
        body.StatsReportAddr = reportAddress;
        body.StatsReportLen = reportLength;
        body.Interval = intervalMs;
    }

    /// <summary>REPORT_LINK_SPEED: the device writes the link speed (big-endian u64) at <paramref name="linkSpeedAddress"/>.</summary>
    public static void ReportLinkSpeed(ref AdminqCommand cmd, ulong linkSpeedAddress)
    {
        Begin(ref cmd, AdminqOpcodes.ReportLinkSpeed);
        cmd.ReportLinkSpeed.LinkSpeedAddress = linkSpeedAddress;
    }

    /// <summary>REPORT_NIC_TIMESTAMP: the device writes a <see cref="NicTsReport"/> (the NIC clock in nanoseconds) at <paramref name="reportAddress"/>.</summary>
    public static void ReportNicTimestamp(ref AdminqCommand cmd, ulong reportAddress, ulong reportLength = NicTsReport.Size)
    {
        Begin(ref cmd, AdminqOpcodes.ReportNicTimestamp);
        ref AdminqReportNicTs body = ref cmd.ReportNicTimestamp;
        body.NicTsReportAddr = reportAddress;
        body.NicTsReportLen = reportLength;
    }

    /// <summary>VERIFY_DRIVER_COMPATIBILITY with a <see cref="DriverInfo"/> block at <paramref name="driverInfoAddress"/>.</summary>
    public static void VerifyDriverCompatibility(ref AdminqCommand cmd, ulong driverInfoAddress, ulong driverInfoLength = DriverInfo.Size)
    {
        Begin(ref cmd, AdminqOpcodes.VerifyDriverCompatibility);
        ref AdminqVerifyDriverCompatibility body = ref cmd.VerifyDriverCompatibility;
        body.DriverInfoAddr = driverInfoAddress;
        body.DriverInfoLen = driverInfoLength;
    }

    /// <summary>GET_PTYPE_MAP (DQO): the device writes a <see cref="PtypeMap"/> at <paramref name="mapAddress"/>.</summary>
    public static void GetPtypeMap(ref AdminqCommand cmd, ulong mapAddress, ulong mapLength = PtypeMap.Size)
    {
        Begin(ref cmd, AdminqOpcodes.GetPtypeMap);
        ref AdminqGetPtypeMap body = ref cmd.GetPtypeMap;
        body.PtypeMapAddr = mapAddress;
        body.PtypeMapLen = mapLength;
    }

    /// <summary>SET_DRIVER_PARAMETER (e.g. <see cref="SetDriverParamTypes.Mtu"/>).</summary>
    public static void SetDriverParameter(ref AdminqCommand cmd, SetDriverParamTypes parameter, ulong value)
    {
        Begin(ref cmd, AdminqOpcodes.SetDriverParameter);
        ref AdminqSetDriverParameter body = ref cmd.SetDriverParameter;
        body.ParameterType = parameter;
        body.ParameterValue = value;
    }

    /// <summary>
    /// Fills a <see cref="DriverInfo"/> block for VERIFY_DRIVER_COMPATIBILITY: OS type, driver version,
    /// upstream's capability flags and the two version strings (ASCII, cut to 127 bytes, NUL-padded).
    /// </summary>
    public static void FillDriverInfo(ref DriverInfo info, byte major, byte minor, byte sub, ReadOnlySpan<char> versionString1, ReadOnlySpan<char> versionString2)
    {
        info = default;
        info.OsType = GvnicConstants.OsTypeLinux;
        info.DriverMajor = major;
        info.DriverMinor = minor;
        info.DriverSub = sub;
        info.OsVersionMajor = major;
        info.OsVersionMinor = minor;
        info.OsVersionSub = sub;
        info.SetDriverCapabilityFlags(0, GvnicConstants.DriverCapabilityFlags1);
        info.SetDriverCapabilityFlags(1, GvnicConstants.DriverCapabilityFlags2);
        info.SetDriverCapabilityFlags(2, GvnicConstants.DriverCapabilityFlags3);
        info.SetDriverCapabilityFlags(3, GvnicConstants.DriverCapabilityFlags4);
        CopyAscii(versionString1, info.OsVersionStr1);
        CopyAscii(versionString2, info.OsVersionStr2);
    }

    /// <summary>The queue (or page-list) id a command names, for error messages; false for commands without one.</summary>
    public static bool TryGetQueueId(in AdminqCommand cmd, out uint queueId)
    {
        AdminqCommand copy = cmd;
        switch (copy.Opcode)
        {
            case AdminqOpcodes.CreateTxQueue: queueId = copy.CreateTxQueue.QueueId; return true;
            case AdminqOpcodes.CreateRxQueue: queueId = copy.CreateRxQueue.QueueId; return true;
            case AdminqOpcodes.DestroyTxQueue: queueId = copy.DestroyTxQueue.QueueId; return true;
            case AdminqOpcodes.DestroyRxQueue: queueId = copy.DestroyRxQueue.QueueId; return true;
            case AdminqOpcodes.RegisterPageList: queueId = copy.RegisterPageList.PageListId; return true;
            case AdminqOpcodes.UnregisterPageList: queueId = copy.UnregisterPageList.PageListId; return true;
            default: queueId = 0; return false;
        }
    }

    private static void Begin(ref AdminqCommand cmd, AdminqOpcodes opcode)
    {
        cmd = default;
        cmd.Opcode = opcode;
    }

    private static void CopyAscii(ReadOnlySpan<char> text, Span<byte> destination)
    {
        int n = Math.Min(text.Length, destination.Length - 1);
        for (int i = 0; i < n; i++) destination[i] = text[i] < 0x80 ? (byte)text[i] : (byte)'?';
    }
}

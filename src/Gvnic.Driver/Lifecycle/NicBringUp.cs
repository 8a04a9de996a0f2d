using System;
using System.Runtime.ExceptionServices;
using Gvnic.Admin;
using Gvnic.Driver.ControlPlane;
using Gvnic.Driver.DataPlane;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// Brings a device up in upstream's order and builds the <see cref="NicInstance"/>: each step runs inside a progress
/// scope (<see cref="ProgressReporter"/>), and each step that changes the device is written to the
/// <see cref="BringUpJournal"/> as it takes effect, so a failure part-way leaves a journal that says exactly what to undo.
/// </summary>
/// <remarks>
/// The steps: options, PCI function, driver version, queue limits, control plane (admin queue), compatibility,
/// description, plan, MTU, device resources, packet types (DQO), link speed, statistics report, queue memory, page lists,
/// TX queues, RX queues, RX buffers, interrupts (MSI-X vectors, polling too), notification blocks.
/// </remarks>
internal sealed class NicBringUp(IPciFunction pci, NicOptions options, TimeProvider time, Bar0Registers bar0, Bar2Registers bar2,
    ProgressReporter progress, BringUpJournal journal, AdminCounters adminCounters)
{
    /// <summary>How often the device reads the stats report and the driver rewrites it (upstream GVE_STATS_REPORT_TIMER_PERIOD).</summary>
    private const int StatsIntervalMs = 20_000;

    private DmaMemory Memory => journal.Memory;

    /// <summary>Runs every step; the instance when all succeeded. On failure the journal holds what was done.</summary>
    public NicInstance Run()
    {
        progress.Step("options", () => DeviceSetup.Validate(options, pci), () => StepDetails.Options(options));
        progress.Step("PCI function", EnablePciFunction, () => StepDetails.PciFunction(pci));
        progress.Step("driver version", WriteDriverVersion, StepDetails.DriverVersion);
        (uint Tx, uint Rx) read = (0, 0);
        (uint Tx, uint Rx) limits = progress.Step("queue limits", () => ReadQueueLimits(out read), l => StepDetails.QueueLimits(l, read));
        IControlPlane control = progress.Step("admin queue", StartControlPlane, c => c.Describe());

        progress.Step(Name(AdminqOpcodes.VerifyDriverCompatibility), () => control.VerifyDriverCompatibility(options.DriverVersion),
            s => StepDetails.DriverAccepted(s, options.DriverVersion));
        DeviceDescription device = progress.Step(Name(AdminqOpcodes.DescribeDevice), () => Describe(control), StepDetails.Description);
        DevicePlan plan = progress.Step("plan", () => DeviceSetup.Plan(device, options, limits.Tx, limits.Rx), StepDetails.Plan);
        if (plan.Mtu != device.Mtu)
            progress.Step(Name(AdminqOpcodes.SetDriverParameter), () => SetMtu(control, plan.Mtu), () => StepDetails.Mtu(plan, device));
        (DeviceResources resources, NotificationBlocks blocks) = progress.Step(Name(AdminqOpcodes.ConfigureDeviceResources),
            () => ConfigureDeviceResources(control, plan, device), r => StepDetails.ResourcesConfigured(r.Resources, r.Blocks, plan.Format));
        PacketTypes packetTypes = plan.IsDqo ? progress.Step(Name(AdminqOpcodes.GetPtypeMap), control.GetPacketTypes, StepDetails.PacketTypes) : PacketTypes.None;
        NicClock? clock = options.Timestamps ? progress.Step(Name(AdminqOpcodes.ReportNicTimestamp), () => StartClock(control), StepDetails.NicClock) : null;
        ulong reported = 0;
        AdminqStatuses linkStatus = progress.Step(Name(AdminqOpcodes.ReportLinkSpeed), () => control.ReportLinkSpeed(out reported), s => StepDetails.LinkSpeed(s, reported));
        ulong linkSpeed = linkStatus == AdminqStatuses.CommandPassed ? reported : 0;
        int statsLength = StatsReportWriter.Length(plan.TxQueues, plan.RxQueues);
        AdminqStatuses statsStatus = AdminqStatuses.CommandPassed;
        StatsReportWriter? stats = progress.Step(Name(AdminqOpcodes.ReportStats), () => ReportStats(control, statsLength, out statsStatus),
            _ => StepDetails.StatsReport(statsStatus, statsLength, StatsIntervalMs));

        int regions = Memory.Count;
        long bytes = Memory.Bytes;
        Queues queues = progress.Step("queue memory", () => AllocateQueues(plan, resources, packetTypes, clock, limits.Tx),
            q => StepDetails.QueueMemory(Memory.Count - regions, Memory.Bytes - bytes, plan.IsQpl, q.Tx.Length, q.Rx.Length));
        if (plan.IsQpl) RegisterPageLists(control, queues);
        CreateTxQueues(control, plan, resources, queues.Tx);
        CreateRxQueues(control, plan, resources, queues.Rx);

        progress.Step("RX buffers", () => PostRxBuffers(queues.Rx), n => StepDetails.RxBuffersPosted(n, queues.Rx.Length));
        // Polling too: a device asserts a block's interrupt, and a DQO device writes back the completions it holds, only
        // through an enabled MSI-X vector (iPXE enables a dummy vector for this although it polls).
        progress.Step("interrupts", () => EnableInterrupts(resources, blocks), () => StepDetails.InterruptsEnabled(resources.BlockCount, options.WaitMode));
        progress.Step("notification blocks", blocks.TurnUpAll, () => StepDetails.BlocksTurnedUp(blocks, options.WaitMode));
        // The first write, so that the device's first read finds the queues' counters (all but the buffers posted still 0).
        stats?.Write(queues.Tx, queues.Rx, null, time.GetTimestamp());

        return new NicInstance(journal, device, plan, linkSpeed, resources, blocks, queues.TxPageLists, queues.RxPageLists, queues.Tx, queues.Rx, stats) { Clock = clock };
    }

    private static string Name(AdminqOpcodes opcode) => AdminNames.Of(opcode);

    // ---- before the control plane --------------------------------------------------------------------------------

    private void EnablePciFunction()
    {
        if (pci.VendorId != PciIds.GoogleVendor || pci.DeviceId != PciIds.GvnicDevice)
            throw new NicConfigurationException(pci.Address + " is " + pci.VendorId.ToString("x4") + ":" + pci.DeviceId.ToString("x4") + ", not a gVNIC (" + PciIds.Text + ")");
        pci.EnableBusMaster();
        journal.BusMasterEnabled();
    }

    /// <summary>Writes <c>"GVE-" + version + "\n"</c> to driver_version, a byte at a time; returns the bytes.</summary>
    private byte[] WriteDriverVersion()
    {
        byte[] version = DeviceSetup.VersionString(options.DriverVersion);
        foreach (byte b in version) bar0.WriteDriverVersion(b);
        return version;
    }

    /// <summary>max_tx_queues and max_rx_queues (as read, in <paramref name="read"/>), clamped to what the driver takes.</summary>
    private (uint Tx, uint Rx) ReadQueueLimits(out (uint Tx, uint Rx) read)
    {
        read = (bar0.ReadMaxTxQueues(), bar0.ReadMaxRxQueues());
        return (DeviceValues.QueueLimit(read.Tx), DeviceValues.QueueLimit(read.Rx));
    }

    /// <summary>DESCRIBE_DEVICE, with the values every plan needs checked.</summary>
    private static DeviceDescription Describe(IControlPlane control)
    {
        DeviceDescription device = control.DescribeDevice();
        DeviceValues.CheckDescription(device);
        return device;
    }

    private IControlPlane StartControlPlane()
    {
        var control = new AdminQueueControlPlane(pci, Memory, options.AdminTimeout, options.TimeProvider, adminCounters);
        journal.ControlPlaneHandedOver(control);
        control.Start();
        return control;
    }

    // ---- device-wide commands ------------------------------------------------------------------------------------

    /// <summary>The NIC clock (<see cref="NicOptions.Timestamps"/>): its report buffer, and the first read (upstream gve_init_clock), which must succeed.</summary>
    private NicClock StartClock(IControlPlane control)
    {
        var clock = new NicClock(control, Memory.Allocate(NicClock.ReportSize), options.TimeProvider);
        clock.Refresh();
        return clock;
    }

    private void SetMtu(IControlPlane control, int mtu)
    {
        try
        {
            control.SetMtu(mtu);
        }
        catch (GvnicException) when (control.Failure is not null)
        {
            journal.MtuAccepted(mtu, possible: true);
            throw;
        }
        journal.MtuAccepted(mtu);
    }

    /// <summary>
    /// CONFIGURE_DEVICE_RESOURCES: the event-counter array (as many counters as the device has) and the notification
    /// blocks (2 × max(TX, RX)); then each block's doorbell index, as the device wrote it (checked against BAR2).
    /// </summary>
    private (DeviceResources Resources, NotificationBlocks Blocks) ConfigureDeviceResources(IControlPlane control, DevicePlan plan, DeviceDescription device)
    {
        int blockCount = DeviceSetup.NotificationBlocks(plan.TxQueues, plan.RxQueues);
        if (device.EventCounters < plan.TxQueues)
            throw new NicConfigurationException("the device offers " + device.EventCounters + " event counters, fewer than the " + plan.TxQueues + " TX queues", nameof(NicOptions.TxQueues));
        var resources = new DeviceResources(Memory, device.EventCounters, blockCount, pci.Bar2Length);
        try
        {
            control.ConfigureDeviceResources(resources, plan.Format);
        }
        catch (GvnicException) when (control.Failure is not null)
        {
            journal.DeviceResourcesAccepted(possible: true);
            throw;
        }
        journal.DeviceResourcesAccepted();
        var doorbells = new int[blockCount];
        for (int b = 0; b < blockCount; b++) doorbells[b] = resources.IrqDoorbellIndex(b);
        NotificationBlocks blocks = plan.IsDqo
            ? new DqoNotificationBlocks(bar2, doorbells, plan.TxQueues, plan.RxQueues, resources.RxBlock(0), options.WaitMode == NicWaitMode.Polling)
            : new GqiNotificationBlocks(bar2, doorbells);
        return (resources, blocks);
    }

    /// <summary>
    /// REPORT_STATS with a zeroed buffer the device reads (and writes its part of) until teardown; its writer, or null when
    /// the device refused it (an optional command: any refusal is tolerated, its <paramref name="status"/> reported).
    /// </summary>
    private StatsReportWriter? ReportStats(IControlPlane control, int length, out AdminqStatuses status)
    {
        DmaRegion report = Memory.Allocate(length); // zeroed by the allocator; the device reads it until teardown
        report.Span.Clear();
        try
        {
            status = control.ReportStats(report, StatsIntervalMs);
        }
        catch (GvnicException) when (control.Failure is not null)
        {
            journal.StatsReportAccepted(possible: true);
            throw;
        }
        if (status != AdminqStatuses.CommandPassed) return null;
        journal.StatsReportAccepted();
        return new StatsReportWriter(report, TimeSpan.FromMilliseconds(StatsIntervalMs));
    }

    // ---- queues --------------------------------------------------------------------------------------------------

    /// <summary>The page lists and queues of one bring-up, allocated before the device hears of them.</summary>
    private sealed record Queues(QueuePageList[] TxPageLists, QueuePageList[] RxPageLists, TxQueue[] Tx, RxQueue[] Rx);

    /// <summary>Page lists (QPL formats: TX queue i uses id i, RX queue i id max_tx_queues + i), then the TX and RX queues with their rings and buffers.</summary>
    private Queues AllocateQueues(DevicePlan plan, DeviceResources resources, PacketTypes packetTypes, NicClock? clock, uint maxTxQueues)
    {
        bool qpl = plan.IsQpl;
        QueuePageList[] txLists = qpl ? new QueuePageList[plan.TxQueues] : [];
        QueuePageList[] rxLists = qpl ? new QueuePageList[plan.RxQueues] : [];
        for (int i = 0; i < txLists.Length; i++) txLists[i] = new QueuePageList(Memory, (uint)i, plan.TxPagesPerQpl);
        for (int i = 0; i < rxLists.Length; i++) rxLists[i] = new QueuePageList(Memory, maxTxQueues + (uint)i, plan.RxPagesPerQpl);

        var tx = new TxQueue[plan.TxQueues];
        for (int i = 0; i < tx.Length; i++)
        {
            QueuePageList? list = qpl ? txLists[i] : null;
            int block = resources.TxBlock(i);
            tx[i] = plan.IsDqo
                ? new DqoTxQueue(i, block, Memory, bar2, plan.TxRingSize, list, plan.MaxFrame, time)
                : new GqiTxQueue(i, block, Memory, bar2, plan.TxRingSize, list, options.RdaTxBufferBytes, plan.MaxFrame);
        }
        var rx = new RxQueue[plan.RxQueues];
        for (int i = 0; i < rx.Length; i++)
        {
            QueuePageList? list = qpl ? rxLists[i] : null;
            int block = resources.RxBlock(i);
            rx[i] = plan.IsDqo
                ? new DqoRxQueue(i, block, Memory, bar2, plan.RxRingSize, plan.RxBufferSize, list, packetTypes, plan.MaxFrame, options.HeaderSplit ? plan.Capabilities.HeaderBufferSize : 0, clock)
                : new GqiRxQueue(i, block, Memory, bar2, plan.RxRingSize, plan.RxBufferSize, list, plan.MaxFrame);
        }
        return new Queues(txLists, rxLists, tx, rx);
    }

    private void RegisterPageLists(IControlPlane control, Queues queues)
    {
        QueuePageList[] lists = [.. queues.TxPageLists, .. queues.RxPageLists];
        int txLists = queues.TxPageLists.Length;
        SendEach(control, AdminqOpcodes.RegisterPageList, lists, static l => l.Id, control.RegisterPageLists, (id, possible) => journal.PageListRegistered(id, possible),
            (l, i) => progress.Report(Name(AdminqOpcodes.RegisterPageList) + " " + l.Id,
                StepDetails.PageListRegistered(l, i < txLists ? queues.Tx[i].Name : queues.Rx[i - txLists].Name), failed: false));
    }

    private void CreateTxQueues(IControlPlane control, DevicePlan plan, DeviceResources resources, TxQueue[] queues)
    {
        TxQueueDefinition[] definitions = Array.ConvertAll(queues, q => q.Definition);
        SendEach(control, AdminqOpcodes.CreateTxQueue, definitions, static d => d.Id, control.CreateTxQueues, (id, possible) => journal.TxQueueCreated(id, possible),
            (_, i) => progress.Step(Name(AdminqOpcodes.CreateTxQueue) + " " + i, () => queues[i].Bind(resources), () => StepDetails.TxQueueCreated(plan, queues[i])));
    }

    private void CreateRxQueues(IControlPlane control, DevicePlan plan, DeviceResources resources, RxQueue[] queues)
    {
        RxQueueDefinition[] definitions = Array.ConvertAll(queues, q => q.Definition);
        SendEach(control, AdminqOpcodes.CreateRxQueue, definitions, static d => d.Id, control.CreateRxQueues, (id, possible) => journal.RxQueueCreated(id, possible),
            (_, i) => progress.Step(Name(AdminqOpcodes.CreateRxQueue) + " " + i, () => queues[i].Bind(resources), () => StepDetails.RxQueueCreated(plan, queues[i])));
    }

    private delegate CommandBatch SendBatch<T>(ReadOnlySpan<T> items);

    /// <summary>
    /// Sends one command per item, a control-plane batch at a time (one doorbell each), journals each command the
    /// device confirmed (and, when the control plane failed before answering, each it may have run), and reports each as
    /// a step (<c>CREATE_TX_QUEUE 3</c>) once its batch is answered: <paramref name="complete"/> finishes and reports a
    /// confirmed one (binding its queue, for example). A batch that failed is reported command by command, and its error thrown.
    /// </summary>
    private void SendEach<T>(IControlPlane control, AdminqOpcodes opcode, T[] items, Func<T, uint> id, SendBatch<T> send, Action<uint, bool> record, Action<T, int> complete)
    {
        string command = Name(opcode);
        for (int start = 0; start < items.Length; start += control.MaxBatch)
        {
            int count = Math.Min(items.Length - start, control.MaxBatch);
            CommandBatch batch = send(items.AsSpan(start, count));
            for (int i = 0; i < count; i++)
            {
                if (batch.Confirmed(i)) record(id(items[start + i]), false);
                else if (batch.NotAnswered) record(id(items[start + i]), true);
            }
            if (batch.Failure is GvnicException failure)
            {
                for (int i = 0; i < count; i++)
                    progress.Report(command + " " + id(items[start + i]), StepDetails.InFailedBatch(batch, i, "passed (the batch failed)"), failed: !batch.Confirmed(i));
                ExceptionDispatchInfo.Throw(failure);
            }
            for (int i = 0; i < count; i++) complete(items[start + i], start + i);
        }
    }

    // ---- turn-up -------------------------------------------------------------------------------------------------

    private static int PostRxBuffers(RxQueue[] queues)
    {
        int buffers = 0;
        foreach (RxQueue rx in queues) buffers += rx.PostAll();
        return buffers;
    }

    private void EnableInterrupts(DeviceResources resources, NotificationBlocks blocks)
    {
        pci.Interrupts.Enable(resources.BlockCount + 1);
        journal.InterruptsEnabled(blocks);
    }
}

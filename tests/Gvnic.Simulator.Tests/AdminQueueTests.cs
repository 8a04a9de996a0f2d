using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Platform;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Simulator.Tests;

public sealed class AdminQueueTests
{
    private static (SimulatedGvnic Dev, RawDriver Drv) New(SimulatedDeviceConfig? config = null)
    {
        var dev = new SimulatedGvnic(config);
        return (dev, new RawDriver(dev));
    }

    [Fact]
    public void DescribeDevice_WritesDescriptorAndEveryConfiguredOption()
    {
        var (dev, drv) = New();
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Describe(out DmaRegion buf));
        DeviceDescriptor d = DeviceDescriptor.Read(buf.Span);
        Assert.Equal(4096UL, d.MaxRegisteredPages);
        Assert.Equal(256, d.TxQueueEntries);
        Assert.Equal(256, d.RxQueueEntries);
        Assert.Equal(4, d.DefaultNumQueues);
        Assert.Equal(1460, d.Mtu);
        Assert.Equal(16, d.Counters);
        Assert.Equal(128, d.TxPagesPerQpl);
        Assert.Equal(256, d.RxPagesPerQpl);
        Assert.Equal(new byte[] { 0x42, 0x01, 0x0A, 0x80, 0x00, 0x02 }, d.Mac.ToArray());
        Assert.Equal(9, d.NumDeviceOptions);

        var seen = new Dictionary<DevOptId, byte[]>();
        int off = DeviceDescriptor.Size;
        for (int i = 0; i < d.NumDeviceOptions; i++)
        {
            DeviceOption o = DeviceOption.Read(buf.Span.Slice(off));
            Assert.Equal(0u, o.RequiredFeaturesMask);
            seen[o.OptionId] = buf.Span.Slice(off + DeviceOption.Size, o.OptionLength).ToArray();
            off += DeviceOption.Size + o.OptionLength;
        }
        Assert.Equal(off, d.TotalLength);
        Assert.Equal(DeviceOptionGqiRda.Size, seen[DevOptId.GqiRda].Length);
        Assert.Equal(DeviceOptionGqiQpl.Size, seen[DevOptId.GqiQpl].Length);
        Assert.Equal(DeviceOptionDqoRda.Size, seen[DevOptId.DqoRda].Length);
        // Ring sizes as real devices give them to drivers that size DQO rings by them (Linux 6.1; the conformance run).
        DeviceOptionDqoRda dr = DeviceOptionDqoRda.Read(seen[DevOptId.DqoRda]);
        Assert.Equal(256, dr.TxCompRingEntries);
        Assert.Equal(256, dr.RxBuffRingEntries);
        DeviceOptionDqoQpl dq = DeviceOptionDqoQpl.Read(seen[DevOptId.DqoQpl]);
        Assert.Equal(128, dq.TxPagesPerQpl);
        DeviceOptionJumboFrames j = DeviceOptionJumboFrames.Read(seen[DevOptId.JumboFrames]);
        Assert.Equal(8896, j.MaxMtu);
        Assert.Equal((uint)SupFeatureMask.JumboFrames, j.SupportedFeaturesMask);
        DeviceOptionModifyRing m = DeviceOptionModifyRing.Read(seen[DevOptId.ModifyRing]);
        Assert.Equal(1024, m.MaxTxRingSize);
        Assert.Equal(64, m.MinRxRingSize);
        DeviceOptionBufferSizes b = DeviceOptionBufferSizes.Read(seen[DevOptId.BufferSizes]);
        Assert.Equal(4096, b.PacketBufferSize);
        DeviceOptionRssConfig r = DeviceOptionRssConfig.Read(seen[DevOptId.RssConfig]);
        Assert.Equal(40, r.HashKeySize);
        Assert.Equal(128, r.HashLutSize);
        DeviceOptionFlowSteering f = DeviceOptionFlowSteering.Read(seen[DevOptId.FlowSteering]);
        Assert.Equal((uint)SupFeatureMask.FlowSteering, f.SupportedFeaturesMask);
        Assert.Equal(256u, f.MaxFlowRules);
        Assert.Equal(1u, drv.Bar0.ReadAdminqEventCounter());
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void DescribeDevice_FormatOptionsListModifyRing_OnlyWhenTheDeviceOffersIt()
    {
        // Linux 6.12's gve lets `ethtool -G` change rings only when the chosen format's option lists modify-ring (found by
        // the conformance run: the model offered the option but listed it nowhere, so gve said "not supported").
        foreach (bool modifyRing in new[] { true, false })
        {
            var (_, drv) = New(new SimulatedDeviceConfig { ModifyRing = modifyRing });
            drv.Describe(out DmaRegion buf);
            DeviceDescriptor d = DeviceDescriptor.Read(buf.Span);
            int off = DeviceDescriptor.Size;
            int seen = 0;
            for (int i = 0; i < d.NumDeviceOptions; i++)
            {
                DeviceOption o = DeviceOption.Read(buf.Span.Slice(off));
                ReadOnlySpan<byte> body = buf.Span.Slice(off + DeviceOption.Size, o.OptionLength);
                uint? mask = o.OptionId switch
                {
                    DevOptId.GqiRda => DeviceOptionGqiRda.Read(body).SupportedFeaturesMask,
                    DevOptId.GqiQpl => DeviceOptionGqiQpl.Read(body).SupportedFeaturesMask,
                    DevOptId.DqoRda => DeviceOptionDqoRda.Read(body).SupportedFeaturesMask,
                    DevOptId.DqoQpl => DeviceOptionDqoQpl.Read(body).SupportedFeaturesMask,
                    _ => null,
                };
                if (mask is uint m)
                {
                    Assert.Equal(modifyRing, (m & (uint)SupFeatureMask.ModifyRing) != 0);
                    seen++;
                }
                off += DeviceOption.Size + o.OptionLength;
            }
            Assert.Equal(4, seen);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DescribeDevice_FormatOptionsListJumboFramesAsASupportedFeature(bool jumbo)
    {
        // Upstream enables the jumbo-frames option only when the chosen format's option lists it (supported_features_mask).
        var (_, drv) = New(new SimulatedDeviceConfig { JumboFrames = jumbo });
        drv.Describe(out DmaRegion buf);
        DeviceDescriptor d = DeviceDescriptor.Read(buf.Span);
        var masks = new Dictionary<DevOptId, uint>();
        int off = DeviceDescriptor.Size;
        for (int i = 0; i < d.NumDeviceOptions; i++)
        {
            DeviceOption o = DeviceOption.Read(buf.Span.Slice(off));
            ReadOnlySpan<byte> body = buf.Span.Slice(off + DeviceOption.Size, o.OptionLength);
            switch (o.OptionId)
            {
                case DevOptId.GqiRda: masks[o.OptionId] = DeviceOptionGqiRda.Read(body).SupportedFeaturesMask; break;
                case DevOptId.GqiQpl: masks[o.OptionId] = DeviceOptionGqiQpl.Read(body).SupportedFeaturesMask; break;
                case DevOptId.DqoRda: masks[o.OptionId] = DeviceOptionDqoRda.Read(body).SupportedFeaturesMask; break;
                case DevOptId.DqoQpl: masks[o.OptionId] = DeviceOptionDqoQpl.Read(body).SupportedFeaturesMask; break;
            }
            off += DeviceOption.Size + o.OptionLength;
        }
        // Each format option lists the jumbo-frames, modify-ring, RSS and flow-steering features the device offers (upstream gates them on it).
        uint expected = (jumbo ? (uint)SupFeatureMask.JumboFrames : 0u) | (uint)SupFeatureMask.ModifyRing | (uint)SupFeatureMask.RssConfig | (uint)SupFeatureMask.FlowSteering;
        Assert.Equal(4, masks.Count);
        Assert.Equal(expected, masks[DevOptId.GqiRda]);
        Assert.Equal(expected, masks[DevOptId.GqiQpl]);
        // The DQO options also list buffer-sizes (offered by default): header split and buffer sizes are DQO features.
        Assert.Equal(expected | (uint)SupFeatureMask.BufferSizes, masks[DevOptId.DqoRda]);
        Assert.Equal(expected | (uint)SupFeatureMask.BufferSizes, masks[DevOptId.DqoQpl]);
    }

    [Fact]
    public void DescribeDevice_OnlyOffersTheConfiguredFormats()
    {
        var (_, drv) = New(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl, JumboFrames = false, ModifyRing = false, BufferSizes = false, Rss = false, FlowSteering = false });
        drv.Describe(out DmaRegion buf);
        DeviceDescriptor d = DeviceDescriptor.Read(buf.Span);
        Assert.Equal(1, d.NumDeviceOptions);
        Assert.Equal(DeviceDescriptor.Size + DeviceOption.Size + DeviceOptionGqiQpl.Size, d.TotalLength);
        Assert.Equal(DevOptId.GqiQpl, DeviceOption.Read(buf.Span.Slice(DeviceDescriptor.Size)).OptionId);
    }

    [Fact]
    public void DescribeDevice_BadVersionOrShortBuffer_IsInvalidArgument()
    {
        var (_, drv) = New();
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Describe(out _, version: 2));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Describe(out DmaRegion b, length: 48));
        Assert.Equal(0, DeviceDescriptor.Read(b.Span).TotalLength);
    }

    [Fact]
    public void ProducerCount_IsFreeRunning_AndSlotsAreMasked()
    {
        var (dev, drv) = New();
        DmaRegion speed = drv.Dma.Allocate(LinkSpeedReport.Size);
        for (int i = 0; i < 150; i++)
        {
            Assert.Equal(AdminqStatuses.CommandPassed, drv.Execute((ref AdminqCommand c) =>
            {
                c.Opcode = AdminqOpcodes.ReportLinkSpeed;
                c.ReportLinkSpeed.LinkSpeedAddress = speed.DeviceAddress;
            }));
        }
        Assert.Equal(150u, drv.Bar0.ReadAdminqEventCounter());
        Assert.Equal(100_000UL, LinkSpeedReport.Read(speed.Span).LinkSpeed);
        Assert.Equal(150, dev.AdminCommands.Count);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void SeveralCommandsBeforeOneDoorbell_RunInOrder()
    {
        var (dev, drv) = New();
        drv.Describe(out _);
        DmaRegion counters = drv.Dma.Allocate(64), irq = drv.Dma.Allocate(256);
        uint a = drv.Queue((ref AdminqCommand c) => { c.Opcode = AdminqOpcodes.CreateTxQueue; });
        uint b = drv.Queue((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ConfigureDeviceResources;
            c.ConfigureDeviceResources.CounterArray = counters.DeviceAddress;
            c.ConfigureDeviceResources.IrqDbAddr = irq.DeviceAddress;
            c.ConfigureDeviceResources.NumCounters = 16;
            c.ConfigureDeviceResources.NumIrqDbs = 4;
            c.ConfigureDeviceResources.IrqDbStride = 64;
            c.ConfigureDeviceResources.QueueFormat = QueueFormat.GqiQpl;
        });
        drv.Ring();
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, drv.Slot(a).Status);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Slot(b).Status);
        Assert.Equal(3u, drv.Bar0.ReadAdminqEventCounter());
        Assert.Contains(dev.Violations, v => v.Kind == ViolationKind.CommandOutOfOrder);
    }

    [Fact]
    public void Configure_WritesIrqDoorbellIndexes_AtTheStride()
    {
        var (dev, drv) = New();
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Configure(QueueFormat.GqiQpl, numBlocks: 6));
        for (int i = 0; i < 6; i++) Assert.Equal(SimulatedGvnic.IrqDoorbellBase + (uint)i, drv.IrqDoorbellIndex(i));
        Assert.All(dev.NotificationBlocks, b => Assert.True(b.Masked));
        Assert.Equal(6, dev.ManagementVector);
        Assert.Equal(QueueFormat.GqiQpl, dev.ConfiguredFormat);
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, drv.Configure(QueueFormat.GqiQpl));
    }

    [Theory]
    [InlineData(0u, 4u, 64u)]
    [InlineData(17u, 4u, 64u)]
    [InlineData(16u, 0u, 64u)]
    [InlineData(16u, 9u, 64u)]
    [InlineData(16u, 4u, 2u)]
    public void Configure_BadCounts_AreInvalidArgument(uint counters, uint blocks, uint stride)
    {
        var (_, drv) = New();
        DmaRegion c = drv.Dma.Allocate(4096), irq = drv.Dma.Allocate(4096);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Execute((ref AdminqCommand cmd) =>
        {
            cmd.Opcode = AdminqOpcodes.ConfigureDeviceResources;
            cmd.ConfigureDeviceResources.CounterArray = c.DeviceAddress;
            cmd.ConfigureDeviceResources.IrqDbAddr = irq.DeviceAddress;
            cmd.ConfigureDeviceResources.NumCounters = counters;
            cmd.ConfigureDeviceResources.NumIrqDbs = blocks;
            cmd.ConfigureDeviceResources.IrqDbStride = stride;
            cmd.ConfigureDeviceResources.QueueFormat = QueueFormat.GqiQpl;
        }));
    }

    [Fact]
    public void Configure_UnofferedFormat_IsInvalidArgument()
    {
        var (_, drv) = New(new SimulatedDeviceConfig { Formats = OfferedFormats.GqiQpl });
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Configure(QueueFormat.DqoRda));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Configure(QueueFormat.Unspecified));
    }

    [Fact]
    public void CreateTxQueue_BeforeConfigure_IsFailedPrecondition_AndRecorded()
    {
        var (dev, drv) = New();
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, drv.CreateTx(0, out _));
        ProtocolViolation v = Assert.Single(dev.Violations);
        Assert.Equal(ViolationKind.CommandOutOfOrder, v.Kind);
        Assert.Contains("CREATE_TX_QUEUE before CONFIGURE_DEVICE_RESOURCES", v.Detail);
    }

    [Fact]
    public void CreateQueues_WriteDbAndCounterIndexes_ThatDoNotCollide()
    {
        var (dev, drv) = New();
        drv.Configure(QueueFormat.GqiRda);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateTx(0, out RawTxQueue t0));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateTx(1, out RawTxQueue t1, ntfy: 1));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateRx(0, out RawRxQueue r0, ntfy: 2));
        Assert.Equal(SimulatedGvnic.TxDoorbellBase, t0.DbIndex);
        Assert.Equal(SimulatedGvnic.TxDoorbellBase + 1, t1.DbIndex);
        Assert.Equal(SimulatedGvnic.RxDoorbellBase, r0.DbIndex);
        // The device picks each queue's event counter among those it advertises; none is shared, all were configured.
        uint[] counters = [t0.CounterIndex, t1.CounterIndex, r0.CounterIndex];
        Assert.Equal(3, counters.Distinct().Count());
        Assert.All(counters, c => Assert.InRange(c, 0u, 15u));
        var all = new[] { t0.DbIndex, t1.DbIndex, r0.DbIndex }.Concat(Enumerable.Range(0, 4).Select(i => drv.IrqDoorbellIndex(i))).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.All(all, i => Assert.True(i * 4 < dev.Bar2Length));
        Assert.Equal(AdminqStatuses.CommandErrorAlreadyExists, drv.CreateTx(0, out _));
        Assert.Equal(AdminqStatuses.CommandErrorAlreadyExists, drv.CreateRx(0, out _));
        Assert.Equal(2, dev.TxQueueCount);
    }

    [Theory]
    [InlineData((ushort)100)]
    [InlineData((ushort)2048)]
    [InlineData((ushort)32)]
    public void CreateTxQueue_BadRingSize_IsInvalidArgument(ushort size)
    {
        var (_, drv) = New();
        drv.Configure(QueueFormat.GqiRda);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(0, out _, size));
    }

    [Fact]
    public void CreateTxQueue_RingZero_MeansDeviceDefault_AndAboveEntriesWithoutModifyRingIsRefused()
    {
        var (_, drv) = New(new SimulatedDeviceConfig { ModifyRing = false });
        drv.Configure(QueueFormat.GqiRda);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateTx(0, out _, 0));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(1, out _, 512));
    }

    [Fact]
    public void CreateQueues_BadIdsAndNotifyBlocks_AreRefused()
    {
        var (_, drv) = New();
        drv.Configure(QueueFormat.GqiRda);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(4, out _));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(0, out _, ntfy: 4));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(0, out _, qplId: 0));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateRx(0, out _, bufferSize: 0));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateRx(0, out _, bufferSize: 1000));
    }

    [Fact]
    public void PageLists_StatusCodes()
    {
        var (dev, drv) = New(new SimulatedDeviceConfig { MaxRegisteredPages = 300 });
        drv.Configure(QueueFormat.GqiQpl);
        Assert.Equal(AdminqStatuses.CommandErrorNotFound, drv.CreateTx(0, out _, qplId: 7));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.CreateTx(0, out _, qplId: 0xFFFFFFFF));
        Assert.Equal(AdminqStatuses.CommandErrorOutOfRange, drv.RegisterQpl(0, 257, out _));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.RegisterQpl(0, 4, out _, pageSize: 8192));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.RegisterQpl(0, 200, out DmaRegion q0, pageSize: 4096));
        Assert.Equal(AdminqStatuses.CommandErrorAlreadyExists, drv.RegisterQpl(0, 1, out _));
        Assert.Equal(AdminqStatuses.CommandErrorResourceExhausted, drv.RegisterQpl(1, 101, out _));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.RegisterPageList(2, 0, q0.DeviceAddress));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.RegisterPageList(0xFFFFFFFF, 1, q0.DeviceAddress));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.CreateTx(0, out _, qplId: 0, qpl: q0));
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, drv.CreateTx(1, out _, qplId: 0, qpl: q0));
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, Unregister(drv, 0));
        Assert.Equal(AdminqStatuses.CommandErrorNotFound, Unregister(drv, 9));
        Assert.Equal(AdminqStatuses.CommandPassed, Destroy(drv, AdminqOpcodes.DestroyTxQueue, 0));
        Assert.Equal(AdminqStatuses.CommandPassed, Unregister(drv, 0));
        Assert.Empty(dev.RegisteredPageLists);
    }

    [Fact]
    public void DqoQpl_RegisterPageList_TakesTwiceTheLargestRxRing_AsLinux612SizesItsRxPageLists()
    {
        // Linux 6.12's gve registers 2 x RX ring pages for each DQO RX page list whatever the option's rx_pages_per_qpl
        // (found by the conformance run: 512 pages for a 256-entry ring were refused with OUT_OF_RANGE).
        var (dev, drv) = New(new SimulatedDeviceConfig { RxQueueEntries = 256, MaxRxRingSize = 512, RxPagesPerQpl = 256, MaxRegisteredPages = 8192 });
        drv.Configure(QueueFormat.DqoQpl);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.RegisterQpl(4, 512, out _));
        Assert.Equal(AdminqStatuses.CommandPassed, drv.RegisterQpl(5, 1024, out _));
        Assert.Equal(AdminqStatuses.CommandErrorOutOfRange, drv.RegisterQpl(6, 1025, out _));
        Assert.Equal(2, dev.RegisteredPageLists.Count);

        // Without modify-ring the largest RX ring is rx_queue_entries.
        var (_, fixedRings) = New(new SimulatedDeviceConfig { RxQueueEntries = 256, ModifyRing = false, RxPagesPerQpl = 256, MaxRegisteredPages = 8192 });
        fixedRings.Configure(QueueFormat.DqoQpl);
        Assert.Equal(AdminqStatuses.CommandPassed, fixedRings.RegisterQpl(4, 512, out _));
        Assert.Equal(AdminqStatuses.CommandErrorOutOfRange, fixedRings.RegisterQpl(5, 513, out _));

        // GQI QPL keeps the larger of tx_pages_per_qpl and rx_pages_per_qpl.
        var (_, gqi) = New(new SimulatedDeviceConfig { RxQueueEntries = 256, MaxRxRingSize = 512, RxPagesPerQpl = 256, MaxRegisteredPages = 8192 });
        gqi.Configure(QueueFormat.GqiQpl);
        Assert.Equal(AdminqStatuses.CommandErrorOutOfRange, gqi.RegisterQpl(0, 257, out _));
    }

    [Fact]
    public void RegisterPageList_BadPageAddress_IsInvalidArgument_AndDmaViolation()
    {
        var (dev, drv) = New();
        drv.Configure(QueueFormat.GqiQpl);
        DmaRegion list = drv.Dma.Allocate(2 * PageListEntry.Size);
        DmaRegion page = drv.Dma.Allocate(4096);
        new PageListEntry { PageAddress = page.DeviceAddress }.Write(list.Span);
        new PageListEntry { PageAddress = 0x1234_5000 }.Write(list.Span.Slice(PageListEntry.Size));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.RegisterPageList(0, 2, list.DeviceAddress));
        Assert.Contains(dev.Violations, v => v.Kind == ViolationKind.DmaOutOfBounds && v.Detail.Contains("page 1 of page list 0"));
    }

    [Fact]
    public void RegisterPageList_InRdaFormat_IsFailedPrecondition()
    {
        var (_, drv) = New();
        drv.Configure(QueueFormat.GqiRda);
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, drv.RegisterQpl(0, 1, out _));
    }

    private static AdminqStatuses Unregister(RawDriver drv, uint id) => drv.Execute((ref AdminqCommand c) =>
    {
        c.Opcode = AdminqOpcodes.UnregisterPageList;
        c.UnregisterPageList.PageListId = id;
    });

    private static AdminqStatuses Destroy(RawDriver drv, AdminqOpcodes op, uint id) => drv.Execute((ref AdminqCommand c) =>
    {
        c.Opcode = op;
        if (op == AdminqOpcodes.DestroyTxQueue) c.DestroyTxQueue.QueueId = id;
        else c.DestroyRxQueue.QueueId = id;
    });

    [Fact]
    public void Destroy_UnknownQueue_IsNotFound_AndDeconfigureWithQueuesIsRefused()
    {
        var (dev, drv) = New();
        drv.Configure(QueueFormat.GqiRda);
        Assert.Equal(AdminqStatuses.CommandErrorNotFound, Destroy(drv, AdminqOpcodes.DestroyTxQueue, 0));
        Assert.Equal(AdminqStatuses.CommandErrorNotFound, Destroy(drv, AdminqOpcodes.DestroyRxQueue, 99));
        drv.CreateTx(0, out _);
        AdminqStatuses Deconfigure() => drv.Execute((ref AdminqCommand c) => c.Opcode = AdminqOpcodes.DeconfigureDeviceResources);
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, Deconfigure());
        Assert.Equal(AdminqStatuses.CommandPassed, Destroy(drv, AdminqOpcodes.DestroyTxQueue, 0));
        Assert.Equal(AdminqStatuses.CommandPassed, Deconfigure());
        Assert.Null(dev.ConfiguredFormat);
        Assert.Equal(AdminqStatuses.CommandErrorFailedPrecondition, Deconfigure());
    }

    [Theory]
    [InlineData(0x10u)]
    [InlineData(0x11u)]
    [InlineData(0x12u)]
    [InlineData(0xFFu)]
    [InlineData(0x42u)]
    public void UnknownOrUnofferedOpcodes_AreUnimplemented(uint opcode)
    {
        // QUERY_FLOW_RULES (0x10) and QUERY_RSS (0x12) belong to the FLOW_STEERING and RSS_CONFIG options, not offered here.
        var (_, drv) = New(new SimulatedDeviceConfig { Rss = false, FlowSteering = false });
        Assert.Equal(AdminqStatuses.CommandErrorUnimplemented, drv.Execute((ref AdminqCommand c) => c.Opcode = (AdminqOpcodes)opcode));
        Assert.Equal(1u, drv.Bar0.ReadAdminqEventCounter());
    }

    [Fact]
    public void SetDriverParameter_Mtu()
    {
        var (dev, drv) = New();
        AdminqStatuses Set(SetDriverParamTypes t, ulong v) => drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.SetDriverParameter;
            c.SetDriverParameter.ParameterType = t;
            c.SetDriverParameter.ParameterValue = v;
        });
        Assert.Equal(AdminqStatuses.CommandPassed, Set(SetDriverParamTypes.Mtu, 8896));
        Assert.Equal(8896, dev.Mtu);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, Set(SetDriverParamTypes.Mtu, 8897));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, Set(SetDriverParamTypes.Mtu, 20));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, Set((SetDriverParamTypes)7, 1500));
        var (dev2, drv2) = New(new SimulatedDeviceConfig { JumboFrames = false });
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv2.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.SetDriverParameter;
            c.SetDriverParameter.ParameterType = SetDriverParamTypes.Mtu;
            c.SetDriverParameter.ParameterValue = 1500;
        }));
        Assert.Equal(1460, dev2.Mtu);
    }

    [Fact]
    public void GetPtypeMap_WritesTheMap()
    {
        var (_, drv) = New();
        DmaRegion map = drv.Dma.Allocate(PtypeMap.Size);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.GetPtypeMap;
            c.GetPtypeMap.PtypeMapLen = (ulong)PtypeMap.Size;
            c.GetPtypeMap.PtypeMapAddr = map.DeviceAddress;
        }));
        PtypeEntry e = PtypeMap.Read(map.Span).GetPtypes(SimulatedGvnic.PacketTypeIndex(L3Type.Ipv6, L4Type.Udp));
        Assert.Equal(L3Type.Ipv6, e.L3Type);
        Assert.Equal(L4Type.Udp, e.L4Type);
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.GetPtypeMap;
            c.GetPtypeMap.PtypeMapLen = 16;
            c.GetPtypeMap.PtypeMapAddr = map.DeviceAddress;
        }));
    }

    [Fact]
    public void VerifyDriverCompatibility_ReadsDriverInfo_OrIsUnimplemented()
    {
        var (dev, drv) = New();
        DmaRegion info = drv.Dma.Allocate(DriverInfo.Size);
        ref DriverInfo di = ref DriverInfo.AsRef(info.Span);
        di.OsType = GvnicConstants.OsTypeLinux;
        di.DriverMajor = 1;
        di.DriverMinor = 4;
        di.SetDriverCapabilityFlags(0, GvnicConstants.DriverCapabilityFlags1);
        CommandBuilder verify = (ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.VerifyDriverCompatibility;
            c.VerifyDriverCompatibility.DriverInfoLen = (ulong)DriverInfo.Size;
            c.VerifyDriverCompatibility.DriverInfoAddr = info.DeviceAddress;
        };
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Execute(verify));
        DriverInfo got = dev.LastDriverInfo!.Value;
        Assert.Equal(4, got.DriverMinor);
        Assert.Equal(0x7BUL, got.GetDriverCapabilityFlags(0));
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.VerifyDriverCompatibility;
            c.VerifyDriverCompatibility.DriverInfoLen = 8;
            c.VerifyDriverCompatibility.DriverInfoAddr = info.DeviceAddress;
        }));
        var (_, old) = New(new SimulatedDeviceConfig { VerifyDriverCompatibility = false });
        DmaRegion info2 = old.Dma.Allocate(DriverInfo.Size);
        Assert.Equal(AdminqStatuses.CommandErrorUnimplemented, old.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.VerifyDriverCompatibility;
            c.VerifyDriverCompatibility.DriverInfoLen = (ulong)DriverInfo.Size;
            c.VerifyDriverCompatibility.DriverInfoAddr = info2.DeviceAddress;
        }));
    }

    [Fact]
    public void ConfigureRss_AcceptsMatchingSizes_AndSteersByTheTable()
    {
        var (dev, drv) = New();
        drv.Configure(QueueFormat.GqiRda);
        drv.CreateRx(0, out _);
        drv.CreateRx(1, out RawRxQueue r1);
        DmaRegion key = drv.Dma.Allocate(40), lut = drv.Dma.Allocate(128 * RssLutEntry.Size);
        for (int i = 0; i < 128; i++) new RssLutEntry { Queue = 1 }.Write(lut.Span.Slice(i * RssLutEntry.Size));
        AdminqStatuses Rss(ushort keySize, ushort lutSize) => drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ConfigureRss;
            c.ConfigureRss.HashAlg = RssHashAlg.Toeplitz;
            c.ConfigureRss.HashKeySize = keySize;
            c.ConfigureRss.HashLutSize = lutSize;
            c.ConfigureRss.HashKeyAddr = key.DeviceAddress;
            c.ConfigureRss.HashLutAddr = lut.DeviceAddress;
        });
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, Rss(52, 128));
        Assert.Equal(AdminqStatuses.CommandPassed, Rss(40, 128));
        drv.PostGqiRx(r1, 4);
        RxResult res = dev.InjectFrame(Frames.Udp4(100));
        Assert.Equal(new RxResult(1, RxOutcome.Delivered), res);
    }

    [Fact]
    public void ReportStats_DeviceWritesNicRxStatsAfterTheDriversPart()
    {
        var (dev, drv) = New();
        var (_, rx) = drv.BringUpGqiRda();
        DmaRegion report = drv.Dma.Allocate(4096);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ReportStats;
            c.ReportStats.StatsReportLen = 4096;
            c.ReportStats.StatsReportAddr = report.DeviceAddress;
            c.ReportStats.Interval = 20000;
        }));
        dev.InjectFrame(Frames.Udp4(10), 0);
        dev.InjectFrame(Frames.Udp4(10), 0);
        int baseIndex = 6 * 1 + 2 * 1;
        Stats s = Stats.Read(report.Span.Slice(StatsReport.Size + (baseIndex + 1) * Stats.Size));
        Assert.Equal(StatNames.RxNoBuffersPosted, s.StatName);
        Assert.Equal(0u, s.QueueId);
        Assert.Equal(2UL, s.Value);
        Assert.Equal(0UL, StatsReport.Read(report.Span).WrittenCount);
        Assert.Equal(2, dev.RxStatistics(0).NoBufferDrops);
        _ = rx;
    }

    /// <summary>
    /// REPORT_STATS with length 0 detaches the report, as upstream Linux sends before DECONFIGURE_DEVICE_RESOURCES
    /// (found by the conformance run: the model answered INVALID_ARGUMENT, docs/conformance.md).
    /// </summary>
    [Fact]
    public void ReportStats_LengthZero_DetachesTheReport()
    {
        var (dev, drv) = New();
        drv.BringUpGqiRda();
        DmaRegion report = drv.Dma.Allocate(4096);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ReportStats;
            c.ReportStats.StatsReportLen = 4096;
            c.ReportStats.StatsReportAddr = report.DeviceAddress;
            c.ReportStats.Interval = 20000;
        }));
        dev.InjectFrame(Frames.Udp4(10), 0);
        int at = StatsReport.Size + (6 * 1 + 2 * 1 + 1) * Stats.Size;
        Assert.Equal(1UL, Stats.Read(report.Span.Slice(at)).Value);

        Assert.Equal(AdminqStatuses.CommandPassed, drv.Execute((ref AdminqCommand c) =>
        {
            c.Opcode = AdminqOpcodes.ReportStats;
            c.ReportStats.StatsReportLen = 0;
            c.ReportStats.StatsReportAddr = 0;
            c.ReportStats.Interval = 20000;
        }));
        dev.InjectFrame(Frames.Udp4(10), 0);

        Assert.Equal(1UL, Stats.Read(report.Span.Slice(at)).Value); // no longer written
        Assert.Equal(2, dev.RxStatistics(0).NoBufferDrops);
        Assert.Empty(dev.Violations);
    }

    [Fact]
    public void FailNextCommand_InjectsTheStatusOnce()
    {
        var (dev, drv) = New();
        dev.FailNextCommand(AdminqOpcodes.DescribeDevice, AdminqStatuses.CommandErrorInternalError);
        Assert.Equal(AdminqStatuses.CommandErrorInternalError, drv.Describe(out DmaRegion b));
        Assert.Equal(0, DeviceDescriptor.Read(b.Span).TotalLength);
        Assert.Equal(AdminqStatuses.CommandPassed, drv.Describe(out _));
        Assert.True(dev.AdminCommands[0].Injected);
    }

    [Fact]
    public void StalledDevice_DoesNotAnswer_UntilResumed()
    {
        var (dev, drv) = New();
        dev.StallAdminQueue();
        uint seq = drv.Queue((ref AdminqCommand c) => c.Opcode = AdminqOpcodes.GetPtypeMap);
        drv.Ring();
        Assert.Equal(0u, drv.Bar0.ReadAdminqEventCounter());
        Assert.Equal(AdminqStatuses.CommandUnset, drv.Slot(seq).Status);
        dev.ResumeAdminQueue();
        Assert.Equal(1u, drv.Bar0.ReadAdminqEventCounter());
        Assert.Equal(AdminqStatuses.CommandErrorInvalidArgument, drv.Slot(seq).Status);
    }

    [Fact]
    public void DoorbellBeforeSetup_AndOverrun_AreViolations()
    {
        var dev = new SimulatedGvnic();
        var drv = new RawDriver(dev, setUp: false);
        drv.Bar0.WriteAdminqDoorbell(1);
        Assert.Equal(ViolationKind.AdminQueueState, Assert.Single(dev.Violations).Kind);
        drv.SetUpAdminQueue();
        drv.Bar0.WriteAdminqDoorbell(65);
        Assert.Equal(ViolationKind.AdminQueueOverrun, dev.Violations[1].Kind);
        Assert.Equal(0u, drv.Bar0.ReadAdminqEventCounter());
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text;
using Gvnic.Platform;
using Gvnic.Platform.Tracing;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary>
/// The recorder against a device the test plays by hand (<see cref="ScriptedFunction"/>): a batch of two commands the
/// device answers one at a time, a counter that runs ahead, accesses no register describes, and the cost of a
/// data-path event (none).
/// </summary>
public sealed class ScriptedDeviceTests
{
    private const uint TxDoorbell = 0x40;

    /// <summary>
    /// The driver's part: admin queue at a DMA page, two CREATE_TX_QUEUE commands behind one doorbell. The device's part
    /// (writes to <paramref name="device"/>'s memory): statuses and queue resources, the event counter 1 then 2, while
    /// the driver polls.
    /// </summary>
    private static void CreateTwoQueues(ScriptedFunction device, TracingPciFunction traced)
    {
        var bar0 = new Bar0Registers(traced.Bar0);
        DmaRegion page = traced.Dma.Allocate(4096);
        DmaRegion resources = traced.Dma.Allocate(2 * QueueResources.Size);
        bar0.WriteAdminqLength(4096);
        bar0.WriteAdminqBaseAddressHi((uint)(page.DeviceAddress >> 32));
        bar0.WriteAdminqBaseAddressLo((uint)page.DeviceAddress);
        Assert.Equal(0u, bar0.ReadAdminqEventCounter());
        for (uint q = 0; q < 2; q++)
        {
            ref var cmd = ref AdminqCommand.AsRef(page.Span.Slice((int)q * AdminqCommand.Size));
            cmd.Opcode = AdminqOpcodes.CreateTxQueue;
            cmd.CreateTxQueue.QueueId = q;
            cmd.CreateTxQueue.QueueResourcesAddr = resources.AddressOf((int)q * QueueResources.Size);
            cmd.CreateTxQueue.TxRingSize = 256;
        }
        bar0.WriteAdminqDoorbell(2);

        // the device answers the first command, the driver polls, then the second
        AnswerQueue(device, page, resources, 0);
        Assert.Equal(1u, bar0.ReadAdminqEventCounter());
        bar0.ReadDeviceStatus();
        AnswerQueue(device, page, resources, 1);
        Assert.Equal(2u, bar0.ReadAdminqEventCounter());
    }

    private static void AnswerQueue(ScriptedFunction device, DmaRegion page, DmaRegion resources, int q)
    {
        AdminqCommand.AsRef(page.Span.Slice(q * AdminqCommand.Size)).Status = AdminqStatuses.CommandPassed;
        ref var r = ref QueueResources.AsRef(resources.Span.Slice(q * QueueResources.Size));
        r.DbIndex = TxDoorbell + (uint)q;
        r.CounterIndex = (uint)q;
        device.Bar0Memory.Write32(Bar0Registers.Offsets.AdminqEventCounter, Bar0Registers.EncodeAdminqEventCounter((uint)q + 1));
    }

    [Fact]
    public void A_batch_answered_one_command_at_a_time_is_recorded_when_the_counter_reaches_the_doorbell()
    {
        using var device = new ScriptedFunction();
        var stream = new MemoryStream();
        using (var traced = new TracingPciFunction(device, stream))
        {
            CreateTwoQueues(device, traced);
            new Bar2Registers(traced.Bar2).WriteDoorbell((int)TxDoorbell + 1, 7);
            traced.Bar2.Write32(0x3FF0, 1);
            traced.Bar0.Read16(Bar0Registers.Offsets.DeviceStatus);
        }
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Traces.WithoutTime).ToArray();
        string[] expected =
        [
            """{"seq":1,"ev":"dma_alloc","region":0,"length":4096,"align":4096,"@addr":"0x0000000700000000"}""",
            """{"seq":2,"ev":"dma_alloc","region":1,"length":128,"align":4096,"@addr":"0x0000000700020000"}""",
            """{"seq":3,"ev":"write","bar":0,"reg":"adminq_length","width":16,"value":"0x1000"}""",
            """{"seq":4,"ev":"write","bar":0,"reg":"adminq_base_address_hi","width":32,"@value":"0x00000007"}""",
            """{"seq":5,"ev":"write","bar":0,"reg":"adminq_base_address_lo","width":32,"@value":"0x00000000","dma":"dma#0+0x0"}""",
            """{"seq":6,"ev":"read","bar":0,"reg":"adminq_event_counter","width":32,"value":"0x00000000"}""",
            """{"seq":7,"ev":"write","bar":0,"reg":"adminq_doorbell","width":32,"value":"0x00000002"}""",
            """{"seq":8,"ev":"command","command":0,"@count":0,"@slot":0,"opcode":"create_tx_queue","cmd":{"opcode":"create_tx_queue","status":"command_unset","create_tx_queue":{"queue_id":0,"queue_resources_addr":"dma#1+0x0","tx_ring_addr":0,"queue_page_list_id":0,"ntfy_id":0,"tx_comp_ring_addr":0,"tx_ring_size":256,"tx_comp_ring_size":0}}}""",
            """{"seq":9,"ev":"command","command":1,"@count":1,"@slot":1,"opcode":"create_tx_queue","cmd":{"opcode":"create_tx_queue","status":"command_unset","create_tx_queue":{"queue_id":1,"queue_resources_addr":"dma#1+0x40","tx_ring_addr":0,"queue_page_list_id":0,"ntfy_id":0,"tx_comp_ring_addr":0,"tx_ring_size":256,"tx_comp_ring_size":0}}}""",
            """{"seq":10,"ev":"read","bar":0,"reg":"adminq_event_counter","width":32,"value":"0x00000002","@polls":2}""",
            """{"seq":11,"ev":"answer","command":0,"@count":0,"@slot":0,"opcode":"create_tx_queue","status":"command_passed","queue_resources":{"@db_index":64,"@counter_index":0}}""",
            """{"seq":12,"ev":"answer","command":1,"@count":1,"@slot":1,"opcode":"create_tx_queue","status":"command_passed","queue_resources":{"@db_index":65,"@counter_index":1}}""",
            """{"seq":13,"ev":"write","bar":2,"reg":"doorbell","queue":"tx 1","@index":65,"width":32,"value":"0x00000007"}""",
            """{"seq":14,"ev":"write","bar":2,"index":4092,"width":32,"raw":"0x00000001"}""",
            """{"seq":15,"ev":"read","bar":0,"reg":"device_status","offset":"0x00000000","width":16,"raw":"0x0000"}""",
            """{"seq":16,"ev":"end","events":15,"skipped":{"queue_doorbells":0,"status_reads":0,"irq_waits":0}}""",
        ];
        Assert.Equal(expected, lines);
    }

    [Fact]
    public void An_event_counter_that_runs_ahead_ends_the_wait_and_is_recorded_as_read()
    {
        using var device = new ScriptedFunction();
        var stream = new MemoryStream();
        using (var traced = new TracingPciFunction(device, stream))
        {
            var bar0 = new Bar0Registers(traced.Bar0);
            DmaRegion page = traced.Dma.Allocate(4096);
            bar0.WriteAdminqBaseAddressHi((uint)(page.DeviceAddress >> 32));
            bar0.WriteAdminqBaseAddressLo((uint)page.DeviceAddress);
            AdminqCommand.AsRef(page.Span).Opcode = AdminqOpcodes.DeconfigureDeviceResources;
            bar0.WriteAdminqDoorbell(1);
            device.Bar0Memory.Write32(Bar0Registers.Offsets.AdminqEventCounter, Bar0Registers.EncodeAdminqEventCounter(5));
            Assert.Equal(5u, bar0.ReadAdminqEventCounter());
        }
        var events = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Traces.Json).ToArray();
        var wait = events.Single(e => e.GetProperty("ev").GetString() == "wait");
        Assert.Equal(("adminq_event_counter", 1, 0), (wait.GetProperty("for").GetString(), wait.GetProperty("expected").GetInt32(), wait.GetProperty("@polls").GetInt32()));
        var read = events.Last(e => e.GetProperty("ev").GetString() == "read");
        Assert.Equal("0x00000005", read.GetProperty("value").GetString());
        Assert.False(read.TryGetProperty("@polls", out _));
        Assert.DoesNotContain(events, e => e.GetProperty("ev").GetString() == "answer");
    }

    [Fact]
    public void Recording_a_doorbell_a_repeated_status_read_or_an_msix_poll_allocates_nothing()
    {
        using var device = new ScriptedFunction();
        using var traced = new TracingPciFunction(device, Stream.Null);
        CreateTwoQueues(device, traced);
        var bar2 = new Bar2Registers(traced.Bar2);
        var bar0 = new Bar0Registers(traced.Bar0);
        void Round(uint i)
        {
            bar2.WriteDoorbell((int)TxDoorbell, i);           // a queue doorbell: written
            bar0.ReadDeviceStatus();                          // a repeat: counted
            traced.Interrupts.TryConsume(0);                  // an MSI-X poll: counted
        }
        for (uint i = 0; i < 2000; i++) Round(i);             // warm up (and the trace's buffer reaches its size)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (uint i = 0; i < 5000; i++) Round(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(traced.EventCount > 7000);
    }
}

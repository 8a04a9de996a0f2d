using System;
using System.Linq;
using System.Text.Json;
using Gvnic.Driver;
using Gvnic.Platform;
using Gvnic.Platform.Tracing;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary>
/// <see cref="TracingPciFunction"/> over the device model with the real driver: the recorded bring-up event by event,
/// the admin commands and answers decoded through the catalog, doorbells named by their queue or block, waits folded,
/// both admin-queue revisions and the data modes.
/// </summary>
public sealed class PciTraceRecorderTests
{
    private static readonly NicOptions OneQueuePair = new() { TxQueues = 1, RxQueues = 1 };

    private static string[] BringUpAndTearDown(IPciFunction device, NicOptions? options = null, PciTraceOptions? trace = null)
        => Traces.Record(device, pci => Nic.Open(pci, options ?? OneQueuePair).Dispose(), trace);

    [Fact]
    public void A_bring_up_on_the_model_records_this_exact_sequence_of_first_events()
    {
        using var device = new SimulatedGvnic();
        var lines = BringUpAndTearDown(device);

        var header = Traces.Json(lines[0]);
        Assert.Equal("gvnic-pci-trace", header.GetProperty("format").GetString());
        Assert.Equal(1, header.GetProperty("version").GetInt32());
        Assert.StartsWith("Gvnic.Sdk ", header.GetProperty("tool").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", header.GetProperty("start").GetString());
        Assert.Equal("""{"address":"sim:0","vendor_id":"0x1ae0","device_id":"0x0042","revision":1,"bar2_length":16384,"msix_vectors":8}""", header.GetProperty("device").GetRawText());
        Assert.Equal("doorbells", header.GetProperty("data").GetString());

        string os = JsonEncodedText.Encode(Environment.OSVersion.VersionString, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        string[] expected =
        [
            """{"seq":1,"ev":"bus_master","enable":true}""",
            """{"seq":2,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x47","char":"G"}""",
            """{"seq":3,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x56","char":"V"}""",
            """{"seq":4,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x45","char":"E"}""",
            """{"seq":5,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x2d","char":"-"}""",
            """{"seq":6,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x31","char":"1"}""",
            """{"seq":7,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x2e","char":"."}""",
            """{"seq":8,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x30","char":"0"}""",
            """{"seq":9,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x2e","char":"."}""",
            """{"seq":10,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x30","char":"0"}""",
            """{"seq":11,"ev":"write","bar":0,"reg":"driver_version","width":8,"value":"0x0a","char":"\n"}""",
            """{"seq":12,"ev":"read","bar":0,"reg":"max_tx_queues","width":32,"value":"0x00000004"}""",
            """{"seq":13,"ev":"read","bar":0,"reg":"max_rx_queues","width":32,"value":"0x00000004"}""",
            """{"seq":14,"ev":"dma_alloc","region":0,"length":4096,"align":4096,"@addr":"0x0000001000000000"}""",
            """{"seq":15,"ev":"write","bar":0,"reg":"adminq_length","width":16,"value":"0x1000"}""",
            """{"seq":16,"ev":"write","bar":0,"reg":"adminq_base_address_hi","width":32,"@value":"0x00000010"}""",
            """{"seq":17,"ev":"write","bar":0,"reg":"adminq_base_address_lo","width":32,"@value":"0x00000000","dma":"dma#0+0x0"}""",
            """{"seq":18,"ev":"write","bar":0,"reg":"driver_status","width":32,"value":"0x00000001","flags":["run"]}""",
            """{"seq":19,"ev":"read","bar":0,"reg":"adminq_event_counter","width":32,"value":"0x00000000"}""",
            """{"seq":20,"ev":"dma_alloc","region":1,"length":304,"align":4096,"@addr":"0x0000001000002000"}""",
            """{"seq":21,"ev":"write","bar":0,"reg":"adminq_doorbell","width":32,"value":"0x00000001"}""",
            """{"seq":22,"ev":"command","command":0,"@count":0,"@slot":0,"opcode":"verify_driver_compatibility","cmd":{"opcode":"verify_driver_compatibility","status":"command_unset","verify_driver_compatibility":{"driver_info_len":304,"driver_info_addr":"dma#1+0x0"}},"driver_info":{"os_type":1,"driver_major":1,"driver_minor":0,"driver_sub":0,"os_version_major":1,"os_version_minor":0,"os_version_sub":0,"driver_capability_flags":[123,0,0,0],"@os_version_str1":"OS","@os_version_str2":"gvnic-dotnet 1.0.0"}}""".Replace("\"OS\"", "\"" + os + "\""),
            """{"seq":23,"ev":"read","bar":0,"reg":"adminq_event_counter","width":32,"value":"0x00000001","@polls":0}""",
            """{"seq":24,"ev":"answer","command":0,"@count":0,"@slot":0,"opcode":"verify_driver_compatibility","status":"command_passed"}""",
            """{"seq":25,"ev":"dma_free","region":1,"@addr":"0x0000001000002000"}""",
            """{"seq":26,"ev":"dma_alloc","region":2,"length":4096,"align":4096,"@addr":"0x0000001000004000"}""",
            """{"seq":27,"ev":"write","bar":0,"reg":"adminq_doorbell","width":32,"value":"0x00000002"}""",
            """{"seq":28,"ev":"command","command":1,"@count":1,"@slot":1,"opcode":"describe_device","cmd":{"opcode":"describe_device","status":"command_unset","describe_device":{"device_descriptor_addr":"dma#2+0x0","device_descriptor_version":1,"available_length":4096}}}""",
            """{"seq":29,"ev":"read","bar":0,"reg":"adminq_event_counter","width":32,"value":"0x00000002","@polls":0}""",
            """{"seq":30,"ev":"answer","command":1,"@count":1,"@slot":1,"opcode":"describe_device","status":"command_passed","device_descriptor":{"max_registered_pages":4096,"tx_queue_entries":256,"rx_queue_entries":256,"default_num_queues":4,"mtu":1460,"counters":16,"tx_pages_per_qpl":128,"rx_pages_per_qpl":256,"mac":"42:01:0a:80:00:02","num_device_options":9,"total_length":184},"device_options":[{"option_id":"gqi_rda","option_length":4,"required_features_mask":0,"payload":{"supported_features_mask":165}},{"option_id":"gqi_qpl","option_length":4,"required_features_mask":0,"payload":{"supported_features_mask":165}},{"option_id":"dqo_rda","option_length":8,"required_features_mask":0,"payload":{"supported_features_mask":181,"tx_comp_ring_entries":256,"rx_buff_ring_entries":256}},{"option_id":"dqo_qpl","option_length":8,"required_features_mask":0,"payload":{"supported_features_mask":181,"tx_pages_per_qpl":128,"rx_pages_per_qpl":256}},{"option_id":"jumbo_frames","option_length":8,"required_features_mask":0,"payload":{"supported_features_mask":4,"max_mtu":8896}},{"option_id":"modify_ring","option_length":12,"required_features_mask":0,"payload":{"supported_featured_mask":1,"max_rx_ring_size":1024,"max_tx_ring_size":1024,"min_rx_ring_size":64,"min_tx_ring_size":256}},{"option_id":"buffer_sizes","option_length":8,"required_features_mask":0,"payload":{"supported_features_mask":16,"packet_buffer_size":4096,"header_buffer_size":0}},{"option_id":"rss_config","option_length":8,"required_features_mask":0,"payload":{"supported_features_mask":128,"hash_key_size":40,"hash_lut_size":128}},{"option_id":"flow_steering","option_length":12,"required_features_mask":0,"payload":{"supported_features_mask":32,"max_flow_rules":256}}]}""",
        ];
        Assert.Equal(expected, lines.Skip(1).Take(expected.Length).Select(Traces.WithoutTime));
        Assert.All(lines.Skip(1), l => Assert.Matches("^\\{\"seq\":\\d+,\"t\":\\d+,\"ev\":\"", l));
    }

    [Fact]
    public void Doorbells_are_named_by_the_queue_or_block_the_device_assigned_them()
    {
        using var device = new SimulatedGvnic();
        var lines = BringUpAndTearDown(device, new NicOptions { TxQueues = 2, RxQueues = 2, QueueFormat = QueueFormat.DqoRda, WaitMode = NicWaitMode.Interrupts });

        // CONFIGURE_DEVICE_RESOURCES: the device wrote each block's doorbell index (model: 0x100 + block)
        var configure = Traces.Events(lines, "answer").Single(a => a.GetProperty("opcode").GetString() == "configure_device_resources");
        Assert.Equal("""[{"@index":256},{"@index":257},{"@index":258},{"@index":259}]""", configure.GetProperty("irq_db").GetRawText());
        // CREATE_*_QUEUE: queue resources (model: TX q at 0x200 + q, RX q at 0x300 + q; each queue's event counter is the
        // one the device picks among the 16 it advertises, as real devices do, seeded: 13, 9, 12, 14)
        var created = Traces.Events(lines, "answer").Where(a => a.GetProperty("opcode").GetString()!.StartsWith("create_", StringComparison.Ordinal))
            .Select(a => a.GetProperty("queue_resources").GetRawText()).ToArray();
        Assert.Equal(["""{"@db_index":512,"@counter_index":13}""", """{"@db_index":513,"@counter_index":9}""", """{"@db_index":768,"@counter_index":12}""", """{"@db_index":769,"@counter_index":14}"""], created);

        var writes = Traces.Events(lines, "write").Where(w => w.GetProperty("bar").GetInt32() == 2).Select(w => Traces.WithoutTime(w.GetRawText())).ToArray();
        // RX buffers posted (ring − 1 = 255), then each block unmasked with its throttling interval (interrupt mode: TX 50 µs,
        // RX 20 µs), then at teardown each block masked (no_update = 3 keeps the interval)
        Assert.Equal(
        [
            """{"seq":0,"ev":"write","bar":2,"reg":"doorbell_dqo","queue":"rx 0","@index":768,"width":32,"value":"0x000000ff"}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"doorbell_dqo","queue":"rx 1","@index":769,"width":32,"value":"0x000000ff"}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":0,"@index":256,"width":32,"value":"0x00000321","fields":{"enable":true,"clear_pba":false,"no_update":0,"interval":25}}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":1,"@index":257,"width":32,"value":"0x00000321","fields":{"enable":true,"clear_pba":false,"no_update":0,"interval":25}}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":2,"@index":258,"width":32,"value":"0x00000141","fields":{"enable":true,"clear_pba":false,"no_update":0,"interval":10}}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":3,"@index":259,"width":32,"value":"0x00000141","fields":{"enable":true,"clear_pba":false,"no_update":0,"interval":10}}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":0,"@index":256,"width":32,"value":"0x00000018","fields":{"enable":false,"clear_pba":false,"no_update":3,"interval":0}}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":1,"@index":257,"width":32,"value":"0x00000018","fields":{"enable":false,"clear_pba":false,"no_update":3,"interval":0}}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":2,"@index":258,"width":32,"value":"0x00000018","fields":{"enable":false,"clear_pba":false,"no_update":3,"interval":0}}""",
            """{"seq":0,"ev":"write","bar":2,"reg":"irq_doorbell_dqo","block":3,"@index":259,"width":32,"value":"0x00000018","fields":{"enable":false,"clear_pba":false,"no_update":3,"interval":0}}""",
        ], writes.Select(w => System.Text.RegularExpressions.Regex.Replace(w, "\"seq\":\\d+", "\"seq\":0")));
    }

    [Fact]
    public void Gqi_doorbells_are_big_endian_counts_and_irq_bits()
    {
        using var device = new SimulatedGvnic();
        var lines = Traces.Record(device, pci =>
        {
            using var nic = Nic.Open(pci, new NicOptions { TxQueues = 1, RxQueues = 1, QueueFormat = QueueFormat.GqiQpl });
            device.AttachWire(VirtualWire.Loopback());
            Assert.True(nic.Transmit(new byte[60], 0));
        });
        var bar2 = Traces.Events(lines, "write").Where(w => w.GetProperty("bar").GetInt32() == 2).ToArray();
        var rx = bar2.First(w => w.TryGetProperty("queue", out var q) && q.GetString() == "rx 0");
        Assert.Equal(("doorbell", "0x00000100"), (rx.GetProperty("reg").GetString(), rx.GetProperty("value").GetString())); // GQI RX: every slot of 256 filled
        var unmask = bar2.First(w => w.TryGetProperty("block", out _));
        Assert.Equal("irq_doorbell", unmask.GetProperty("reg").GetString());
        Assert.Equal(("0x00000000", "[]"), (unmask.GetProperty("value").GetString(), unmask.GetProperty("flags").GetRawText())); // writing 0 unmasks
        var tx = bar2.Single(w => w.TryGetProperty("queue", out var q) && q.GetString() == "tx 0");
        Assert.Equal("0x00000001", tx.GetProperty("value").GetString()); // GQI TX: descriptors produced; 60 bytes fit the packet descriptor
    }

    [Fact]
    public void Register_page_list_records_its_pages_as_runs_of_a_region()
    {
        using var device = new SimulatedGvnic();
        var lines = BringUpAndTearDown(device, new NicOptions { TxQueues = 1, RxQueues = 1, QueueFormat = QueueFormat.GqiQpl });
        var registers = Traces.Events(lines, "command").Where(c => c.GetProperty("opcode").GetString() == "register_page_list").ToArray();
        Assert.Equal(2, registers.Length);
        var tx = registers[0];
        Assert.Equal(0, tx.GetProperty("cmd").GetProperty("register_page_list").GetProperty("page_list_id").GetInt32());
        Assert.Equal(128, tx.GetProperty("cmd").GetProperty("register_page_list").GetProperty("num_pages").GetInt32());
        var runs = tx.GetProperty("pages").EnumerateArray().ToArray();
        Assert.Equal(128, runs.Sum(r => r.GetProperty("pages").GetInt32()));
        Assert.All(runs, r => Assert.Matches(@"^dma#\d+\+0x0$", r.GetProperty("from").GetString()));
        var rx = registers[1];
        Assert.Equal(4, rx.GetProperty("cmd").GetProperty("register_page_list").GetProperty("page_list_id").GetInt32()); // max_tx_queues + 0
        Assert.Equal(256, rx.GetProperty("pages").EnumerateArray().Sum(r => r.GetProperty("pages").GetInt32()));
        Assert.All(Traces.Events(lines, "answer").Where(a => a.GetProperty("opcode").GetString() == "register_page_list"),
            a => Assert.Equal("command_passed", a.GetProperty("status").GetString()));
        var unregister = Traces.Events(lines, "command").Where(c => c.GetProperty("opcode").GetString() == "unregister_page_list")
            .Select(c => c.GetProperty("cmd").GetProperty("unregister_page_list").GetProperty("page_list_id").GetInt32());
        Assert.Equal([0, 4], unregister);
    }

    [Fact]
    public void Revision_0_records_the_page_frame_number_and_the_release_through_adminq_pfn()
    {
        using var device = new SimulatedGvnic(new SimulatedDeviceConfig { Revision = 0 });
        var lines = BringUpAndTearDown(device);
        var bar0 = lines.Skip(1).Select(Traces.Json).Where(e => e.TryGetProperty("reg", out var r) && r.GetString() == "adminq_pfn").ToArray();
        Assert.Equal(5, bar0.Length);
        Assert.Equal(("write", "0x01000000", "dma#0+0x0"), (bar0[0].GetProperty("ev").GetString(), bar0[0].GetProperty("@value").GetString(), bar0[0].GetProperty("dma").GetString())); // 0x1000000000 / 4096
        // Dispose first looks whether the device reset itself (revision 0: adminq_pfn reads 0); it still holds the queue
        Assert.Equal(("read", "0x01000000"), (bar0[1].GetProperty("ev").GetString(), bar0[1].GetProperty("value").GetString()));
        // the release looks again (a device that reset on its own is not reset once more), then writes 0
        Assert.Equal(("read", "0x01000000"), (bar0[2].GetProperty("ev").GetString(), bar0[2].GetProperty("value").GetString()));
        Assert.Equal(("write", "0x00000000"), (bar0[3].GetProperty("ev").GetString(), bar0[3].GetProperty("value").GetString())); // release
        Assert.Equal(("read", "0x00000000", 0), (bar0[4].GetProperty("ev").GetString(), bar0[4].GetProperty("value").GetString(), bar0[4].GetProperty("@polls").GetInt32()));
        Assert.DoesNotContain(lines, l => l.Contains("adminq_base_address", StringComparison.Ordinal) || l.Contains("driver_status", StringComparison.Ordinal));
        Assert.Equal(Traces.Events(lines, "command").Length, Traces.Events(lines, "answer").Length);
    }

    [Fact]
    public void A_slow_device_polls_are_folded_so_its_trace_compares_equal_to_a_fast_one()
    {
        const int Polls = 5;
        using var fast = new SimulatedGvnic();
        using var slow = new SimulatedGvnic();
        var a = BringUpAndTearDown(fast);
        var b = BringUpAndTearDown(new SlowAdminDevice(slow, Polls));

        // each admin wait: the driver read the event counter Polls times before it moved (device_status only explains a
        // wait that failed); the release: device_status Polls times before DEVICE_IS_RESET
        var completions = b.Skip(1).Select(Traces.Json).Where(e => e.TryGetProperty("@polls", out _)).ToArray();
        Assert.Equal(Traces.Events(b, "command").Length + 1, completions.Length);
        Assert.All(completions[..^1], e => Assert.Equal(("adminq_event_counter", Polls), (e.GetProperty("reg").GetString(), e.GetProperty("@polls").GetInt32())));
        Assert.Equal(("device_status", Polls), (completions[^1].GetProperty("reg").GetString(), completions[^1].GetProperty("@polls").GetInt32()));
        Assert.All(a.Skip(1).Select(Traces.Json).Where(e => e.TryGetProperty("@polls", out _)), e => Assert.Equal(0, e.GetProperty("@polls").GetInt32()));
        Assert.Equal(a.Length, b.Length);
        var result = TraceComparer.Compare(Traces.Save(a), Traces.Save(b));
        Assert.True(result.Equivalent, result.Divergence?.ToString());
        Assert.Equal(a.Length - 2, result.Compared); // every event but the header and the end record
    }

    [Fact]
    public void A_wait_the_driver_gives_up_is_recorded_with_the_last_values_it_read()
    {
        using var device = new SimulatedGvnic();
        var lines = Traces.Record(device, pci =>
        {
            var options = new NicOptions { TxQueues = 1, RxQueues = 1, AdminTimeout = TimeSpan.FromMilliseconds(50) };
            device.StallAdminQueue();
            Assert.Throws<DeviceTimeoutException>(() => Nic.Open(pci, options));
        });
        var events = lines.Skip(1).Select(Traces.Json).ToArray();
        int wait = Array.FindIndex(events, e => e.GetProperty("ev").GetString() == "wait");
        Assert.True(wait > 0, string.Join("\n", lines));
        var w = events[wait];
        Assert.Equal("adminq_event_counter", w.GetProperty("for").GetString());
        Assert.Equal(1, w.GetProperty("expected").GetInt32());
        Assert.True(w.GetProperty("@polls").GetInt64() > 2);
        Assert.Equal("""{"device_status":{"value":"0x00000004","flags":["link_status"]},"adminq_event_counter":{"value":"0x00000000"}}""", w.GetProperty("last").GetRawText());
        Assert.Equal("verify_driver_compatibility", events[wait - 1].GetProperty("opcode").GetString()); // the command it waited for
        Assert.Empty(Traces.Events(lines, "answer"));
        // after the timeout: the driver takes the admin queue back (the model confirms at once) and lets go of the device
        Assert.Equal("driver_status", events[wait + 1].GetProperty("reg").GetString());
        Assert.Equal("""["reset"]""", events[wait + 1].GetProperty("flags").GetRawText());
        Assert.Contains(events.Skip(wait), e => e.GetProperty("ev").GetString() == "bus_master" && !e.GetProperty("enable").GetBoolean());
    }

    [Fact]
    public void An_injected_admin_status_is_the_answer_and_nothing_is_decoded_from_memory()
    {
        using var device = new SimulatedGvnic();
        device.FailNextCommand(AdminqOpcodes.DescribeDevice, AdminqStatuses.CommandErrorInternalError);
        var lines = Traces.Record(device, pci => Assert.Throws<AdminCommandException>(() => Nic.Open(pci, OneQueuePair)));
        var answer = Traces.Events(lines, "answer").Single(a => a.GetProperty("opcode").GetString() == "describe_device");
        Assert.Equal("command_error_internal_error", answer.GetProperty("status").GetString());
        Assert.False(answer.TryGetProperty("device_descriptor", out _));
    }

    [Fact]
    public void Data_mode_off_records_the_control_path_and_counts_the_queue_doorbells()
    {
        using var device = new SimulatedGvnic();
        var lines = Traces.Record(device, pci =>
        {
            using var nic = Nic.Open(pci, OneQueuePair);
            device.AttachWire(VirtualWire.Loopback());
            for (int i = 0; i < 5; i++) Assert.True(nic.Transmit(new byte[60], 0));
            nic.ReclaimTransmitted(0);
        }, new PciTraceOptions { Data = TraceDataMode.Off });
        Assert.Equal("off", Traces.Json(lines[0]).GetProperty("data").GetString());
        Assert.DoesNotContain(Traces.Events(lines, "write"), w => w.TryGetProperty("queue", out _));
        // The notification blocks stay: 2 unmasked at turn-up, TX block 0 re-armed by the reclaim that found frames still in
        // flight (the faithful model holds their completions in its line), 2 masked at teardown.
        Assert.Equal(5, Traces.Events(lines, "write").Count(w => w.TryGetProperty("block", out _)));
        var end = Traces.Json(lines[^1]);
        Assert.Equal("end", end.GetProperty("ev").GetString());
        Assert.Equal(lines.Length - 2, end.GetProperty("events").GetInt32());
        Assert.Equal(1 + 5, end.GetProperty("skipped").GetProperty("queue_doorbells").GetInt32()); // RX buffers posted, 5 TX doorbells
    }

    [Fact]
    public void Data_mode_all_adds_repeated_status_reads_and_msix_waits()
    {
        using var device = new SimulatedGvnic();
        PciTraceOptions all = new() { Data = TraceDataMode.All };
        void Drive(IPciFunction pci)
        {
            using var nic = Nic.Open(pci, new NicOptions { TxQueues = 1, RxQueues = 1, WaitMode = NicWaitMode.Interrupts });
            Assert.True(nic.LinkUp);
            Assert.True(nic.LinkUp);
            Assert.False(nic.WaitForReceive(TimeSpan.FromMilliseconds(20), 0)); // the wire is unplugged: nothing comes
        }
        var lines = Traces.Record(device, Drive, all);
        var status = lines.Skip(1).Select(Traces.Json).Where(e => e.TryGetProperty("reg", out var r) && r.GetString() == "device_status" && !e.TryGetProperty("@polls", out _)).ToArray();
        Assert.True(status.Length >= 2);
        Assert.False(status[0].TryGetProperty("repeat", out _));
        Assert.True(status[1].GetProperty("repeat").GetBoolean());
        Assert.Single(Traces.Events(lines, "irq_enable"));
        Assert.Equal(3, Traces.Events(lines, "irq_enable")[0].GetProperty("vectors").GetInt32()); // 2 blocks and the management vector
        var wait = Assert.Single(Traces.Events(lines, "irq_wait"));
        // The wait gets what is left of the 20 ms after the look and the re-arm before it.
        Assert.Equal(("""{"vector":1,"fired":false}"""), "{" + string.Join(",", wait.EnumerateObject().Skip(3).Where(m => m.Name != "timeout_us").Select(m => m.ToString())) + "}");
        Assert.InRange(wait.GetProperty("timeout_us").GetInt64(), 1, 20000);
        Assert.Single(Traces.Events(lines, "irq_disable"));

        using var again = new SimulatedGvnic();
        var doorbells = Traces.Record(again, Drive);
        Assert.Empty(Traces.Events(doorbells, "irq_wait"));
        Assert.DoesNotContain(doorbells, l => l.Contains("\"repeat\"", StringComparison.Ordinal));
        var skipped = Traces.Json(doorbells[^1]).GetProperty("skipped");
        Assert.True(skipped.GetProperty("status_reads").GetInt32() >= 1);
        Assert.True(skipped.GetProperty("irq_waits").GetInt32() >= 1);
        // and the two compare equal: what "all" adds is never compared
        Assert.True(TraceComparer.Compare(Traces.Save(lines), Traces.Save(doorbells)).Equivalent);
    }
}

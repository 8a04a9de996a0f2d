using System.IO;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>Every kind of bad input exits 2 with one message naming the argument, never a stack trace.</summary>
public class BadInputTests
{
    [Fact]
    public void Unknown_type_suggests_the_closest() =>
        Cli.Run("decode", "tx_pkt_desc_dqoo", "00").BadInput("TYPE 'tx_pkt_desc_dqoo' is not a schema type (did you mean tx_pkt_desc_dqo? see 'gvnic types')");

    [Fact]
    public void Unknown_type_in_encode() =>
        Cli.Run("encode", "nosuchtype", "a=1").BadInput("TYPE 'nosuchtype' is not a schema type");

    [Fact]
    public void Unknown_field_suggests_the_closest() =>
        Cli.Run("encode", "tx_pkt_desc_dqo", "buf_adr=1").BadInput("FIELD 'buf_adr' is not a field of tx_pkt_desc_dqo (did you mean buf_addr?)", "its fields: buf_addr, dtype_flags, dtype");

    [Fact]
    public void Value_out_of_range_names_the_field_and_range() =>
        Cli.Run("encode", "tx_pkt_desc_dqo", "dtype=40").BadInput("VALUE of dtype: 40 is out of range; dtype is 5 bits: 0..31 (0x1f) or a tx_desc_dtype_dqo name: general_context, tso_context, packet");

    [Fact]
    public void Value_too_big_for_64_bits() =>
        Cli.Run("encode", "tx_pkt_desc_dqo", "buf_addr=0x10000000000000000").BadInput("VALUE of buf_addr: 0x10000000000000000 is out of range; buf_addr is 64 bits");

    [Fact]
    public void Unknown_enum_name_suggests_the_closest() =>
        Cli.Run("encode", "tx_pkt_desc_dqo", "dtype=pakcet").BadInput("VALUE of dtype: 'pakcet' is not a value of tx_desc_dtype_dqo (did you mean packet?)");

    [Fact]
    public void Unknown_flag_name() =>
        Cli.Run("encode", "adminq_configure_rss", "hash_types=ipv4|tcp4").BadInput("VALUE of hash_types: 'tcp4' is not a flag of rss_hash_types (did you mean tcpv4?)");

    [Fact]
    public void Bool_takes_true_or_false() =>
        Cli.Run("encode", "tx_pkt_desc_dqo", "end_of_packet=maybe").BadInput("VALUE of end_of_packet: 'maybe' is not a number; end_of_packet is a bool: true, false, 1 or 0");

    [Fact]
    public void Negative_value() =>
        Cli.Run("encode", "adminq_command", "create_tx_queue.queue_id=-1").BadInput("VALUE of create_tx_queue.queue_id: -1 is negative");

    [Fact]
    public void Array_index_out_of_range() =>
        Cli.Run("encode", "ptype_map", "ptypes[1024].l3_type=1").BadInput("FIELD 'ptypes[1024].l3_type' is out of range: ptypes has 1024 elements (ptypes[0]..ptypes[1023])");

    [Fact]
    public void Struct_or_union_where_a_value_is_needed()
    {
        Cli.Run("encode", "adminq_command", "create_tx_queue=1").BadInput("FIELD 'create_tx_queue' is a struct (adminq_create_tx_queue); set one of its fields, e.g. create_tx_queue.queue_id");
        Cli.Run("encode", "adminq_command", "body=1").BadInput("FIELD 'body' is a union of describe_device, configure_device_resources");
        Cli.Run("encode", "adminq_command", "body.create_tx_queue.queue_id=1").BadInput("names the union 'body': union members are named directly, without it (create_tx_queue.queue_id)");
        Cli.Run("encode", "tx_pkt_desc_dqo", "buf_addr[0]=1").BadInput("buf_addr is not an array");
        Cli.Run("encode", "tx_pkt_desc_dqo", "buf_addr.low=1").BadInput("buf_addr is a value and has no field 'low'");
    }

    [Fact]
    public void Assignment_without_a_value() =>
        Cli.Run("encode", "tx_pkt_desc_dqo", "end_of_packet").BadInput("FIELD=VALUE 'end_of_packet' has no value; write e.g. end_of_packet=true");

    [Fact]
    public void Bad_hex()
    {
        Cli.Run("decode", "tx_pkt_desc_dqo", "0g").BadInput("HEX: 'g' at position 2 is not a hex digit");
        Cli.Run("decode", "tx_pkt_desc_dqo", "abc").BadInput("HEX: 3 hex digits is an odd number");
        Cli.Run("decode", "tx_pkt_desc_dqo", "0011").BadInput("HEX has 2 bytes but tx_pkt_desc_dqo is 16 bytes");
        Cli.Run("decode", "tx_pkt_desc_dqo", "@" + Path.Combine(Path.GetTempPath(), "no-such-gvnic-file.bin")).BadInput("HEX '@", "no such file");
    }

    [Fact]
    public void Missing_arguments_are_named()
    {
        var run = Cli.Run("decode");
        run.BadInput("'decode' needs TYPE and HEX (usage: gvnic decode TYPE HEX)");
        Assert.Contains("run 'gvnic decode --help' for usage", run.Error);
        Cli.Run("decode", "tx_pkt_desc_dqo").BadInput("'decode' needs HEX");
        Cli.Run("encode").BadInput("'encode' needs TYPE");
        Cli.Run("up", "--pci").BadInput("--pci"); // the option without its value
    }

    [Fact]
    public void Unknown_command_and_option()
    {
        Cli.Run("dmeo").BadInput("'dmeo'");
        Cli.Run("types", "--bogus").BadInput("'--bogus'");
        Cli.Run().BadInput("no command given; start with 'gvnic demo'");
    }

    [Fact]
    public void Bad_scenario_options()
    {
        Cli.Run("demo", "--format", "dqo-rdaa").BadInput("--format 'dqo-rdaa' is not a queue format; use one of dqo-rda, dqo-qpl, gqi-rda, gqi-qpl (did you mean dqo-rda?)");
        Cli.Run("demo", "--format", "unspecified").BadInput("--format 'unspecified' is a queue format the driver does not implement; use one of dqo-rda, dqo-qpl, gqi-rda, gqi-qpl");
        Cli.Run("demo", "--queues", "0").BadInput("--queues 0 is out of range (1..64)");
        Cli.Run("demo", "--queues", "two").BadInput("--queues 'two' is not a whole number");
        Cli.Run("demo", "--frames", "-5").BadInput("--frames '-5' is not a whole number");
        Cli.Run("demo", "--queues", "9", "--frames", "0").BadInput("gvnic: --queues 9: 9 TX and 9 RX queues need 19 MSI-X vectors (", "the function has 9, enough for at most 4 TX and 4 RX queues\n");
        Cli.Run("demo", "--frames", "0", "--pcap", Path.Combine(Cli.TempDirectory(), "missing-dir", "x.pcap")).BadInput("--pcap '", "cannot create the file");
    }

    [Fact]
    public void Help_is_not_an_error()
    {
        var run = Cli.Run("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "demo", "up", "decode", "encode", "types" }) Assert.Contains("  " + command, run.Out);
    }
}

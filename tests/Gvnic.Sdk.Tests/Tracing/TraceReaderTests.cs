using System;
using System.IO;
using Gvnic.Platform.Tracing;
using Xunit;

namespace Gvnic.Sdk.Tests.Tracing;

/// <summary><see cref="TraceReader"/>: every way a file can fail to be a trace, each named with the file and line.</summary>
public sealed class TraceReaderTests
{
    private const string Header = """{"format":"gvnic-pci-trace","version":1,"tool":"test","start":"2026-01-01T00:00:00.000000Z","device":{"address":"sim:0","vendor_id":"0x1ae0","device_id":"0x0042","revision":1,"bar2_length":16384,"msix_vectors":8},"data":"doorbells"}""";
    private const string Event = """{"seq":1,"t":5,"ev":"bus_master","enable":true}""";

    private static string File(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), "gvnic-reader-" + Guid.NewGuid().ToString("N") + ".trace");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static TraceFormatException Fails(string text, string fragment)
    {
        string path = File(text);
        var e = Assert.Throws<TraceFormatException>(() =>
        {
            using var r = TraceReader.Open(path);
            while (r.TryRead(out _)) { }
        });
        Assert.StartsWith(path, e.Message);
        Assert.Contains(fragment, e.Message);
        Assert.Equal(path, e.Path);
        return e;
    }

    [Fact]
    public void Reads_the_header_and_the_events_up_to_the_end_record()
    {
        string path = File(Header + "\n" + Event + "\n\n" + """{"seq":2,"t":9,"ev":"end","events":1}""" + "\n");
        using var r = TraceReader.Open(path);
        Assert.Equal((1, "test", "sim:0 1ae0:0042 rev 1", TraceDataMode.Doorbells, 16384L, 8), (r.Header.Version, r.Header.Tool, r.Header.DeviceText, r.Header.Data, r.Header.Bar2Length, r.Header.MsixVectors));
        Assert.True(r.TryRead(out var e));
        Assert.Equal((2L, 1L, 5L, "bus_master"), (e.Line, e.Sequence, e.Microseconds, e.Kind));
        Assert.False(r.TryRead(out _));
        Assert.Equal(4L, r.End!.Line);
        Assert.False(r.Truncated);
    }

    [Fact]
    public void An_incomplete_last_line_is_a_run_that_stopped_not_an_error()
    {
        string path = File(Header + "\n" + Event + "\n" + """{"seq":2,"t":9,"ev":"wri""");
        using var r = TraceReader.Open(path);
        Assert.True(r.TryRead(out _));
        Assert.False(r.TryRead(out _));
        Assert.True(r.Truncated);
        Assert.Null(r.End);
    }

    [Fact]
    public void A_missing_file() => Assert.Equal(0, Assert.Throws<TraceFormatException>(() => TraceReader.Open("/nonexistent/x.trace")).Line);

    [Fact]
    public void A_missing_file_is_named() => Assert.Equal("/nonexistent/x.trace: no such file", Assert.Throws<TraceFormatException>(() => TraceReader.Open("/nonexistent/x.trace")).Message);

    [Fact]
    public void An_empty_file() => Fails("", "is empty: not a gvnic trace");

    [Fact]
    public void A_file_that_is_not_json() => Assert.Equal(1, Fails("\u0089PNG\r\n", "line 1 is not JSON").Line);

    [Fact]
    public void Json_that_is_not_a_trace() => Fails("""{"type":"tx_pkt_desc_dqo"}""" + "\n", "has no \"format\": \"gvnic-pci-trace\": not a gvnic trace");

    [Fact]
    public void Another_format_version() => Fails(Header.Replace("\"version\":1", "\"version\":2") + "\n", "is trace format version 2; this gvnic reads version 1");

    [Fact]
    public void An_unknown_data_mode() => Fails(Header.Replace("\"doorbells\"", "\"some\"") + "\n", "data mode 'some' is not off, doorbells or all");

    [Fact]
    public void A_broken_line_in_the_middle() => Assert.Equal(3, Fails(Header + "\n" + Event + "\n{oops\n" + Event + "\n", "line 3 is not JSON").Line);

    [Fact]
    public void A_line_that_is_not_an_event() => Assert.Equal(2, Fails(Header + "\n[1,2]\n", "line 2 is not a trace event").Line);
}

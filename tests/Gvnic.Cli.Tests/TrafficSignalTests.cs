using System;
using System.IO;
using System.Linq;
using Gvnic.Cli.Commands;
using Gvnic.Cli.Traffic;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>Ctrl-C (SIGINT) ends a traffic run as it ends <c>gvnic up</c>: the summary, every NIC torn down, exit 130.</summary>
public class TrafficSignalTests
{
    [Fact]
    public void Ctrl_c_writes_the_summary_and_tears_every_nic_down()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200));
        using var signals = new TeardownOnSignal(error, register: false);
        // No --frames, no --duration: only the signal ends it.
        var options = TrafficCommandTests.Options(TrafficCommand.Fwd) with { Reflect = true, Rate = 50_000 };
        int code = TrafficRun.OnModel(context, options, signals, started: () => Assert.True(signals.OnSignal("SIGINT")));

        Assert.Equal(ExitCodes.Interrupted, code);
        string o = output.ToString();
        Assert.Matches(@"\nStopped after \d+\.\d{3} s: SIGINT\n", o);
        Assert.Contains("Summary (sim:1, ", o);
        Assert.Contains("Latency (round trip, tester sim:0 to sim:1 and back", o);
        Assert.EndsWith("✓ torn down sim:0, sim:1: every DMA allocation returned; the device model saw no protocol violations\n", o);
        string[] messages = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("gvnic: SIGINT: stopping; the gVNIC is being torn down (queues destroyed, DMA memory returned). Send it again to exit at once.", messages[0]);
        Assert.Matches(@"^gvnic: interrupted by SIGINT after [\d,]+ frames out and [\d,]+ in; every NIC was torn down and every DMA region returned$", messages[1]);
        Assert.Equal(2, messages.Length);
    }

    [Fact]
    public void A_real_sigint_ends_gen_with_exit_130()
    {
        var run = Cli.Run(c => new CliContext(c.Out, c.Error, c.Console)
        {
            HandleSignals = true,
            TrafficStarted = () => Assert.Equal(0, Tmds.Linux.LibC.kill(Tmds.Linux.LibC.getpid(), Tmds.Linux.LibC.SIGINT)),
        }, "gen", "--json");
        Assert.Equal(ExitCodes.Interrupted, run.ExitCode);
        Assert.StartsWith("gvnic: SIGINT: stopping;", run.Error);
        var summary = TrafficCommandTests.Lines(run).Last();
        Assert.Equal("SIGINT", summary.GetProperty("stop").GetString());
        Assert.Equal(130, summary.GetProperty("exit_code").GetInt32());
        Assert.True(summary.GetProperty("dma_returned").GetBoolean());
    }
}

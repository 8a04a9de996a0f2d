using System;
using System.Linq;
using Gvnic.Cli.Traffic;
using Gvnic.Simulator;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>
/// The MSI-X vector rule on the command line: more queue pairs than the function's vectors allow is bad input (exit 2)
/// naming <c>--queues</c>, in both wait modes; the model devices the commands build have vectors for all their queues.
/// </summary>
public class MsixVectorCliTests
{
    private const string FiveOnNine = "5 TX and 5 RX queues need 11 MSI-X vectors (10 notification blocks, 2 × max(TX, RX), and 1 for management; "
        + "polling enables them too, as a device writes DQO completions back only through an enabled vector); the function has 9, enough for at most 4 TX and 4 RX queues";

    [Theory]
    [InlineData("polling")]
    [InlineData("interrupts")]
    public void Demo_with_more_queues_than_vectors_is_bad_input_naming_queues(string wait)
    {
        var run = Cli.Run("demo", "--queues", "5", "--wait", wait, "--frames", "0").BadInput();
        Assert.Equal("gvnic: --queues 5: " + FiveOnNine + Environment.NewLine, run.Error);
    }

    [Theory]
    [InlineData("gen")]
    [InlineData("sink")]
    [InlineData("fwd")]
    public void Traffic_commands_with_more_queues_than_vectors_are_bad_input_naming_queues(string command)
    {
        var run = TrafficCommandTests.Run(command, "--queues", "5", "--flows", "64", "--frames", "10").BadInput();
        Assert.Equal("gvnic: --queues 5: " + FiveOnNine + Environment.NewLine, run.Error);
        Assert.DoesNotContain("torn down", run.Out); // refused before the first NIC was touched
    }

    [Fact]
    public void The_traffic_model_devices_have_a_vector_per_block_of_their_four_queue_pairs_and_management()
    {
        for (int i = 0; i < 4; i++)
        {
            using SimulatedGvnic device = TrafficSetup.ModelDevice(i);
            Assert.Equal(9, device.InterruptController.VectorCount);
        }
    }

    [Theory]
    [InlineData("gen")]
    [InlineData("sink")]
    [InlineData("fwd")]
    public void Traffic_commands_run_four_queue_pairs_on_the_model(string command)
    {
        var run = TrafficCommandTests.Run(command, "--queues", "4", "--flows", "16", "--frames", "800", "--json").Ok();
        var summary = TrafficCommandTests.Lines(run).Last();
        Assert.Equal(command, summary.GetProperty("command").GetString());
        Assert.Equal(0, summary.GetProperty("exit_code").GetInt32());
        Assert.True(summary.GetProperty("dma_returned").GetBoolean());
        Assert.Equal(0, summary.GetProperty("model_violations").GetInt32());
        var nics = summary.GetProperty("nics").EnumerateArray().ToList();
        Assert.Equal(command == "fwd" ? 4 : 2, nics.Count);
        Assert.All(nics, n => Assert.Equal(4, n.GetProperty("queues").GetInt32()));
        Assert.Equal(4, summary.GetProperty("queues").GetArrayLength());
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("interrupts")]
    public void Demo_runs_four_queue_pairs_on_its_nine_vectors(string wait)
    {
        var run = Cli.Run("demo", "--queues", "4", "--wait", wait, "--frames", "40").Ok();
        Assert.Contains(" 4 TX queues", run.Out);
    }
}

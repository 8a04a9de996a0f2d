using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Gvnic.Cli.Commands;
using Gvnic.Cli.Pcap;
using Gvnic.Cli.Scenario;
using Gvnic.Simulator;
using Gvnic.Wire;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>
/// <c>gvnic demo</c> and <c>gvnic up</c> on the faithful device model (DQO completions held in 128-byte lines until a
/// notification block fires): every DHCP, ARP and ping reply is taken by the driver, and shown, within 1 ms of its
/// arrival on the model, in every format. On a fake clock that moves only when the scenario waits (its 1 ms poll),
/// so the figures are exact: the pcap's receive time against the wire's arrival time, and the times the scenario prints.
/// </summary>
public class ReplyLatencyTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(1);

    public static TheoryData<string, QueueFormat> Runs()
    {
        var data = new TheoryData<string, QueueFormat>();
        foreach (string command in new[] { "demo", "up" })
            foreach (QueueFormat format in new[] { QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl })
                data.Add(command, format);
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void EveryReplyIsShownWithinOneMillisecondOfItsArrival(string command, QueueFormat format)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new CliContext(output, error, CliContext.PlainConsole(output, 200)) { Time = clock, Sleep = clock.Advance };
        string pcap = Path.Combine(Cli.TempDirectory(), command + ".pcap");
        var options = new ScenarioOptions(format, 1, 0, pcap, TimeSpan.FromSeconds(2));
        WireFrame[] wire;
        SimulatedDeviceConfig config;
        int code;
        if (command == "demo")
        {
            wire = [];
            config = null!;
            code = DemoCommand.Run(context, options, (device, w, responder) => { wire = w.Frames.ToArray(); config = device.Config; }, null);
        }
        else
        {
            // gvnic up's scenario, on the model in place of a VFIO function, with the demo's responder as the network.
            config = new SimulatedDeviceConfig { TimeProvider = clock };
            using var device = new SimulatedGvnic(config);
            var network = VirtualWire.Responder(new Responder().Respond);
            network.Clock = clock;
            device.AttachWire(network);
            using var signals = new TeardownOnSignal(error, register: false);
            code = UpCommand.RunScenario(context, new ScenarioTarget(device, "sim:0"), options, signals);
            Assert.Empty(device.Violations);
            wire = network.Frames.ToArray();
        }
        string o = output.ToString();
        Assert.True(code == 0, "exit " + code + "\n" + o + error);

        // The faithful model, not the ideal one: DQO completions wait in the device's line.
        Assert.Equal(128, config.DqoCompletionLineBytes);
        Assert.True(config.BlocksMaskWhenFiring);

        // Each reply: when the model got it off the wire, and when the driver handed it to the scenario (the pcap's time).
        var records = PcapReader.ReadFile(pcap, out _);
        Assert.Equal(wire.Length, records.Count);
        int replies = 0;
        for (int i = 0; i < wire.Length; i++)
        {
            if (wire[i].Direction != FrameDirection.Receive) continue;
            Assert.Equal(wire[i].Data, records[i].Data);
            TimeSpan late = records[i].Timestamp - new DateTimeOffset(wire[i].Timestamp, TimeSpan.Zero);
            Assert.True(late >= TimeSpan.Zero && late <= Limit, command + " " + format + ": reply " + i + " shown " + late.TotalMilliseconds + " ms after it arrived");
            replies++;
        }
        Assert.Equal(3, replies); // the DHCP offer, the ARP reply and the echo reply

        // What the user reads: the responder answers at once, so each printed time is the time from arrival to display.
        Assert.True(Shown(o, @"DHCP DISCOVER → OFFER .* \((?<ms>[0-9.]+) ms\)") <= 1.0, o);
        Assert.True(Shown(o, @"ARP who-has .* is-at .* \((?<ms>[0-9.]+) ms\)") <= 1.0, o);
        Assert.True(Shown(o, @"ping .*icmp_seq=1 time=(?<ms>[0-9.]+) ms") <= 1.0, o);
    }

    private static double Shown(string output, string pattern)
    {
        Match m = Regex.Match(output, pattern);
        Assert.True(m.Success, "no line matches " + pattern + "\n" + output);
        return double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture);
    }
}

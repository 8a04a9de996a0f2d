using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Gvnic.Cli.Serve;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic serve --socket PATH</c>: one simulated gVNIC served over vfio-user, for QEMU's <c>-device vfio-user-pci</c>
/// (docs/conformance.md): a guest kernel's driver (Linux's gve, or vfio-pci under <c>gvnic up</c>) drives the device
/// model, whose wire leads to the demo's responder (DHCP, ARP, ping, UDP echo). At exit it prints what the model saw:
/// protocol violations and what the driver left behind.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The command-line names of the formats the model can offer, in the schema's spelling with dashes.</summary>
    public static readonly (string Name, OfferedFormats Flag)[] Formats =
    [
        (ScenarioOptionSet.CliName(QueueFormat.GqiQpl), OfferedFormats.GqiQpl),
        (ScenarioOptionSet.CliName(QueueFormat.GqiRda), OfferedFormats.GqiRda),
        (ScenarioOptionSet.CliName(QueueFormat.DqoRda), OfferedFormats.DqoRda),
        (ScenarioOptionSet.CliName(QueueFormat.DqoQpl), OfferedFormats.DqoQpl),
    ];

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var socket = new Option<string?>("--socket") { Description = "The Unix socket to listen on (QEMU: -device '{\"driver\":\"vfio-user-pci\",\"socket\":{\"path\":\"PATH\",\"type\":\"unix\"}}').", HelpName = "PATH" };
        var format = new Option<string?>("--format") { Description = "The queue formats the device offers, comma-separated: " + string.Join("|", Formats.Select(f => f.Name)) + " (default: all; one forces a driver onto it).", HelpName = "FORMAT[,FORMAT]" };
        var revision = new Option<string>("--revision") { Description = "Admin-queue revision (the PCI revision id): 0 (the PFN register) or 1 (base, length and driver_status).", DefaultValueFactory = _ => "1", HelpName = "0|1" };
        var queues = new Option<string>("--queues") { Description = "Most TX and RX queues, also the default count (the device gets 2N+1 MSI-X vectors, as a driver needs one block per queue and a management vector).", DefaultValueFactory = _ => "2", HelpName = "N" };
        var faults = new Option<string?>("--faults") { Description = "Faults to inject, comma-separated KIND[:queue=Q][:skip=N][:persistent][:opcode=NAME][:status=NAME][:at=SECONDS] (kinds: " + string.Join(", ", FaultSpec.Names) + ").", HelpName = "SPEC" };
        var pcap = new Option<string?>("--pcap") { Description = "Write every frame on the device's wire to FILE (classic pcap).", HelpName = "FILE" };
        var once = new Option<bool>("--once") { Description = "Exit when the first client leaves (QEMU exits with its guest)." };
        var command = new Command("serve", "Serve a simulated gVNIC over vfio-user to QEMU's vfio-user-pci client, its wire joined to a DHCP/ARP/ping/UDP-echo responder; report violations and leaks at exit.")
        {
            socket, format, revision, queues, faults, pcap, once,
        };
        command.SetAction(p => GvnicApp.Guard(context, () =>
        {
            var options = new ServeOptions(
                p.GetValue(socket) ?? throw new UsageException("serve needs --socket PATH: where QEMU's vfio-user-pci client connects"),
                ParseFormats(p.GetValue(format)),
                ParseRevision(p.GetValue(revision)!),
                ParseQueues(p.GetValue(queues)!),
                p.GetValue(faults) is string f ? FaultSpec.Parse(f) : [],
                p.GetValue(pcap),
                p.GetValue(once));
            return ServeSession.Run(context, options, default);
        }));
        return command;
    }

    /// <summary><c>gqi-qpl,dqo-rda</c> → the flags; null → all four.</summary>
    public static OfferedFormats ParseFormats(string? text)
    {
        if (text is null) return OfferedFormats.GqiQpl | OfferedFormats.GqiRda | OfferedFormats.DqoRda | OfferedFormats.DqoQpl;
        OfferedFormats result = OfferedFormats.None;
        foreach (string raw in text.Split(','))
        {
            string wanted = raw.Trim().ToLowerInvariant().Replace('_', '-');
            var match = Formats.FirstOrDefault(f => f.Name == wanted);
            if (match.Name is null)
            {
                throw new UsageException("--format '" + raw.Trim() + "' is not a queue format the device model offers; use "
                    + string.Join(", ", Formats.Select(f => f.Name)) + Schema.Suggest.Hint(wanted, Formats.Select(f => f.Name)));
            }

            result |= match.Flag;
        }

        return result;
    }

    private static byte ParseRevision(string text) => text.Trim() switch
    {
        "0" => 0,
        "1" => 1,
        _ => throw new UsageException("--revision '" + text + "': the admin queue has revisions 0 (the PFN register) and 1 (base, length and driver_status)"),
    };

    private static int ParseQueues(string text)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 16)
            throw new UsageException("--queues '" + text + "' is not a whole number from 1 to 16");
        return n;
    }
}

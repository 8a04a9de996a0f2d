using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using Gvnic.Simulator;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// Who does what in a run: the NICs (brought up), the command's own workers (one per queue pair), and on the device
/// model the peer workers that play the other end (a sink for gen, a generator for sink, a tester for fwd), with the
/// order in which they stop: generators first, then forwarders, then receivers, so what is in flight arrives.
/// </summary>
internal sealed class TrafficSetup
{
    /// <summary>Frames per burst.</summary>
    public const int Burst = 32;

    /// <summary>The NICs, in bring-up order.</summary>
    public List<TrafficNic> Nics { get; } = [];

    /// <summary>The model's cables, empty on real devices.</summary>
    public List<ModelCable> Cables { get; } = [];

    /// <summary>The command's workers, queue pair order.</summary>
    public List<TrafficWorker> Own { get; } = [];

    /// <summary>The model's peer workers.</summary>
    public List<TrafficWorker> Peers { get; } = [];

    /// <summary>Workers that generate (stopped first at the end).</summary>
    public List<GenWorker> Generators { get; } = [];

    /// <summary>The template generated frames come from, or null (fwd and sink on a real device).</summary>
    public FrameTemplate? Template { get; set; }

    /// <summary>The sizes frames take in turn.</summary>
    public int[] SizeTable { get; set; } = [];

    /// <summary>The shared budget of <c>--frames</c> for sink and fwd.</summary>
    public FrameBudget Budget { get; set; } = new(null);

    /// <summary>One line saying how the NICs are joined (the model) or which devices run.</summary>
    public string Topology { get; set; } = "";

    /// <summary>What the measured latency is (<c>round trip</c>…), or null when nothing is timed.</summary>
    public string? LatencyKind { get; set; }

    /// <summary>The workers whose latencies are reported.</summary>
    public List<TrafficWorker> Timed { get; } = [];

    /// <summary>A run id for the payload: random, never 0.</summary>
    public static byte NewRun() => (byte)RandomNumberGenerator.GetInt32(1, 256);

    /// <summary>
    /// The model NIC <paramref name="index"/>: address sim:N, MAC 42:01:0a:00:0N:02, IPv4 10.0.N.2, with an MSI-X vector
    /// for each notification block of its most queue pairs and one for management (the driver enables them while it
    /// polls too), so that every queue count the model offers comes up.
    /// </summary>
    public static SimulatedGvnic ModelDevice(int index)
    {
        var config = new SimulatedDeviceConfig
        {
            Address = "sim:" + index,
            Mac = [0x42, 0x01, 0x0a, 0x00, (byte)index, 0x02],
        };
        return new(config with { MsixVectors = 2 * (int)Math.Max(config.MaxTxQueues, config.MaxRxQueues) + 1 });
    }

    /// <summary>The address the model gives NIC <paramref name="index"/>.</summary>
    public static IPAddress ModelIp(int index) => new([10, 0, (byte)index, 2]);

    /// <summary>The flows queue pair <paramref name="queue"/> of <paramref name="queues"/> sends: <paramref name="queue"/>, + queues, … below <paramref name="flows"/>.</summary>
    public static int[] FlowsOf(int queue, int queues, int flows)
    {
        var mine = new List<int>();
        for (int f = queue; f < flows; f += queues) mine.Add(f);
        return [.. mine];
    }

    /// <summary><paramref name="frames"/> split over <paramref name="queues"/>: queue <paramref name="queue"/>'s share.</summary>
    public static long? ShareOf(long? frames, int queue, int queues) =>
        frames is long n ? n / queues + (queue < n % queues ? 1 : 0) : null;

    /// <summary>Generators on every queue pair of <paramref name="nic"/>, named <paramref name="who"/>.</summary>
    public void AddGenerators(TrafficNic nic, string who, TrafficOptions options, bool own)
    {
        int queues = nic.Nic.TxQueueCount;
        double perQueue = options.Rate / queues;
        for (int q = 0; q < queues; q++)
        {
            var worker = new GenWorker("gvnic " + who + " " + q, new TrafficPort(nic.Nic, nic.Name, q, Burst), Template!, SizeTable,
                FlowsOf(q, queues, options.Flows), perQueue, own ? ShareOf(options.Frames, q, queues) : null);
            Generators.Add(worker);
            (own ? Own : Peers).Add(worker);
        }
    }

    /// <summary>Sinks on every queue pair of <paramref name="nic"/>; <paramref name="timedRun"/>: the run whose frames they time.</summary>
    public void AddSinks(TrafficNic nic, string who, bool own, byte? timedRun)
    {
        int queues = nic.Nic.RxQueueCount;
        for (int q = 0; q < queues; q++)
        {
            var worker = new SinkWorker("gvnic " + who + " " + q, new TrafficPort(nic.Nic, nic.Name, q, Burst), own ? Budget : new FrameBudget(null), timedRun);
            (own ? Own : Peers).Add(worker);
            if (timedRun is not null) Timed.Add(worker);
        }
    }

    /// <summary>Forwarders on every queue pair of <paramref name="ports"/> (one NIC: reflect; two: between them).</summary>
    public void AddForwarders(TrafficNic[] ports, ForwardMode mode)
    {
        int queues = ports[0].Nic.TxQueueCount;
        for (int q = 0; q < queues; q++)
        {
            var own = new TrafficPort[ports.Length];
            for (int p = 0; p < ports.Length; p++) own[p] = new TrafficPort(ports[p].Nic, ports[p].Name, q, Burst);
            Own.Add(new FwdWorker("gvnic fwd " + q, own, mode, Budget));
        }
    }

    /// <summary>Every worker: own first, then peers.</summary>
    public List<TrafficWorker> All()
    {
        var all = new List<TrafficWorker>(Own);
        all.AddRange(Peers);
        return all;
    }

    /// <summary>Frame addresses: <paramref name="from"/>'s MAC and IP to <paramref name="toMac"/> and <paramref name="toIp"/>.</summary>
    public void MakeTemplate(TrafficNic from, PhysicalAddress toMac, IPAddress toIp, TrafficOptions options)
    {
        SizeTable = options.Sizes.Table(from.MaxIpv4Frame, from.Nic.Mtu);
        int largest = 0;
        foreach (int size in SizeTable) largest = Math.Max(largest, size);
        Template = new FrameTemplate(from.Mac, toMac, from.Ip!, toIp, Math.Max(largest, TrafficFrame.MinFrame), NewRun());
    }
}

using System;
using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using Gvnic.Driver;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// A NIC of a traffic run, brought up: its PCI function (simulated or VFIO), the driver's <see cref="Nic"/>, its role
/// in the run and its addresses. Automatic recovery is off (several threads use the queues): the run's monitor
/// recovers it with every thread paused (<see cref="Recover"/>).
/// </summary>
internal sealed class TrafficNic
{
    private TrafficNic(string name, string role, IPciFunction pci, SimulatedGvnic? model, Nic nic, TimeSpan upIn)
    {
        Name = name;
        Role = role;
        Pci = pci;
        Model = model;
        Nic = nic;
        UpIn = upIn;
        Span<byte> mac = stackalloc byte[6];
        nic.MacAddress.CopyTo(mac);
        Mac = new PhysicalAddress(mac.ToArray());
        MacText = nic.MacAddress.ToString();
        Format = nic.QueueFormat;
        Queues = nic.TxQueueCount;
        TxRing = nic.TxRingSize;
        RxRing = nic.RxRingSize;
        Mtu = nic.Mtu;
    }

    /// <summary>The queue format it came up with (kept after teardown, as the next few).</summary>
    public QueueFormat Format { get; }

    /// <summary>Queue pairs.</summary>
    public int Queues { get; }

    /// <summary>TX ring size.</summary>
    public int TxRing { get; }

    /// <summary>RX ring size.</summary>
    public int RxRing { get; }

    /// <summary>The MTU.</summary>
    public int Mtu { get; }

    /// <summary>The MAC address as text (<c>42:01:0a:00:00:02</c>).</summary>
    public string MacText { get; }

    /// <summary>Its name: <c>sim:0</c>, or the PCI address.</summary>
    public string Name { get; }

    /// <summary>What it does in the run (<c>gen</c>, <c>fwd port 1</c>, <c>the model's sink</c>…).</summary>
    public string Role { get; }

    /// <summary>The PCI function.</summary>
    public IPciFunction Pci { get; }

    /// <summary>The simulated device, or null for a real one.</summary>
    public SimulatedGvnic? Model { get; }

    /// <summary>The driver.</summary>
    public Nic Nic { get; }

    /// <summary>How long bring-up took.</summary>
    public TimeSpan UpIn { get; }

    /// <summary>Its MAC address.</summary>
    public PhysicalAddress Mac { get; }

    /// <summary>Its IPv4 address in the run (the model's plan, or the one DHCP offered), or null.</summary>
    public IPAddress? Ip { get; set; }

    /// <summary>Recoveries during the run.</summary>
    public int Recoveries { get; private set; }

    /// <summary>TX frames in flight that recoveries dropped.</summary>
    public long TxDroppedOnReset => Nic.TxDroppedOnReset;

    /// <summary>Whether this NIC is one of the command's own (not the model's peer playing the other end).</summary>
    public bool Own { get; init; }

    /// <summary>Brings <paramref name="pci"/> up with <paramref name="queues"/> queue pairs.</summary>
    public static TrafficNic Open(IPciFunction pci, string role, QueueFormat? format, int queues, bool own)
    {
        long start = Stopwatch.GetTimestamp();
        var nic = Nic.Open(pci, new NicOptions
        {
            QueueFormat = format,
            TxQueues = queues,
            RxQueues = queues,
            AutoRecover = false, // several threads: recovery needs every queue stopped (Recover)
        });
        return new TrafficNic(pci.Address, role, pci, pci as SimulatedGvnic, nic, Stopwatch.GetElapsedTime(start)) { Own = own };
    }

    /// <summary>The largest frame the MTU allows for an untagged IPv4 packet (MTU + 14), within what the driver sends.</summary>
    public int MaxIpv4Frame => Math.Min(Nic.MaxFrameSize, Nic.Mtu + 14);

    /// <summary>Resets the device and brings it up again (every thread using it must be paused); returns what it cost.</summary>
    public string Recover(string reason)
    {
        long droppedBefore = Nic.TxDroppedOnReset;
        long start = Stopwatch.GetTimestamp();
        Nic.Recover();
        Recoveries++;
        return Name + ": " + reason + "; the NIC was reset and brought up again in "
            + Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " ms ("
            + (Nic.TxDroppedOnReset - droppedBefore) + " TX frames in flight dropped)";
    }

    /// <summary>Tears the NIC down; returns the DMA regions still allocated afterwards (0: all returned).</summary>
    public int TearDown()
    {
        Nic.Dispose();
        return Pci.Dma.OutstandingRegions;
    }
}

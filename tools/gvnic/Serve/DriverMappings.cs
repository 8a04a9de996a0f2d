using System.Collections.Generic;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Pci;
using Gvnic.VfioUser.Server;

namespace Gvnic.Cli.Serve;

/// <summary>
/// Which of the client's DMA mappings its driver made and left: a driver maps between turning bus mastering on (probe,
/// or <c>gvnic up</c>'s open) and off (removal, teardown), so a mapping made in that span and still there when the client
/// leaves was not unmapped by it. Mappings the client makes itself stay out: guest RAM without an IOMMU (there before),
/// and guest RAM mapped again at shutdown when the guest turns its IOMMU's translation off (after the driver's removal).
/// Follows the command register's bus-master bit (the server's request thread); read at the client's departure.
/// </summary>
internal sealed class DriverMappings
{
    private readonly VfioUserServer _server;
    private readonly HashSet<DmaRange> _made = new();
    private HashSet<DmaRange>? _atStart;

    /// <summary>Starts following <paramref name="server"/>'s bus-master bit.</summary>
    public DriverMappings(VfioUserServer server)
    {
        _server = server;
        server.Config.CommandChanged += (before, now) =>
        {
            bool was = (before & CommandFlags.BusMaster) != 0, isOn = (now & CommandFlags.BusMaster) != 0;
            if (!was && isOn) _atStart = new HashSet<DmaRange>(server.Memory.Mappings);
            else if (was && !isOn) Close();
        };
    }

    /// <summary>Whether a driver still has bus mastering on (its span is open: what it made is not known yet).</summary>
    public bool DriverActive => _atStart is not null;

    /// <summary>The mappings made while a driver had bus mastering on and still mapped now (call at the client's departure).</summary>
    public IReadOnlyList<DmaRange> Left()
    {
        var now = new HashSet<DmaRange>(_server.Memory.Mappings);
        var left = new List<DmaRange>();
        foreach (DmaRange m in _made)
        {
            if (now.Contains(m)) left.Add(m);
        }

        return left;
    }

    /// <summary>Forgets everything (a new client).</summary>
    public void Reset()
    {
        _made.Clear();
        _atStart = null;
    }

    private void Close()
    {
        if (_atStart is null) return;
        foreach (DmaRange m in _server.Memory.Mappings)
        {
            if (!_atStart.Contains(m)) _made.Add(m);
        }

        _atStart = null;
    }
}

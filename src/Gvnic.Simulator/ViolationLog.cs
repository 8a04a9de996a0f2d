using System.Collections.Generic;

namespace Gvnic.Simulator;

/// <summary>A thread-safe list of violations shared by a device and its DMA allocator.</summary>
public sealed class ViolationLog
{
    private readonly object _gate = new();
    private readonly List<ProtocolViolation> _items = new();

    /// <summary>Records one violation.</summary>
    public void Add(ProtocolViolation violation)
    {
        lock (_gate) _items.Add(violation);
    }

    /// <summary>Records one violation.</summary>
    public void Add(ViolationKind kind, int queue, long index, string detail) => Add(new ProtocolViolation(kind, queue, index, detail));

    /// <summary>A copy of every violation so far, oldest first.</summary>
    public IReadOnlyList<ProtocolViolation> Snapshot()
    {
        lock (_gate) return _items.ToArray();
    }

    /// <summary>How many violations were recorded.</summary>
    public int Count
    {
        get { lock (_gate) return _items.Count; }
    }

    /// <summary>Forgets every recorded violation.</summary>
    public void Clear()
    {
        lock (_gate) _items.Clear();
    }
}
